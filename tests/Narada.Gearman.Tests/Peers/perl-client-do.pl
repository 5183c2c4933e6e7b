#!/usr/bin/perl
# Usage: perl perl-client-do.pl HOST:PORT FUNCTION WORKLOAD — one foreground job, the result on stdout.
use strict;
use warnings;
use Gearman::Client;

my ($server, $function, $workload) = @ARGV;
my $client = Gearman::Client->new(job_servers => [$server]);
my $result = $client->do_task($function, $workload);
die "job failed\n" unless defined $result;
print $$result, "\n";
