#!/usr/bin/perl
# Gearman::Client over TLS (IO::Socket::SSL), verifying the server against CA and presenting a client certificate.
# Usage: perl-tls-client.pl HOST PORT CA CERT KEY FUNCTION WORKLOAD — one foreground job, the result on stdout.
use strict;
use warnings;
use Gearman::Client;

my ($host, $port, $ca, $cert, $key, $function, $workload) = @ARGV;
my $client = Gearman::Client->new(job_servers => [{
    host => $host, port => $port, use_ssl => 1,
    ca_file => $ca, cert_file => $cert, key_file => $key,
}]);
my $result = $client->do_task($function, $workload);
die "job failed\n" unless defined $result;
print $$result, "\n";
