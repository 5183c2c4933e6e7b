#!/usr/bin/perl
# Perl Gearman::Client: one foreground "reverse" job, prints the result.
use strict;
use warnings;
use Gearman::Client;
my ($host, $port, $arg) = @ARGV;
my $client = Gearman::Client->new;
$client->job_servers("$host:$port");
my $result = $client->do_task("reverse", $arg, { timeout => 15 });
defined $result or die "job failed\n";
print $$result, "\n";
