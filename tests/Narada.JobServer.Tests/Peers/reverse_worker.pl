#!/usr/bin/perl
# Perl Gearman::Worker: serves "reverse" for N jobs, then exits.
use strict;
use warnings;
use Gearman::Worker;
my ($host, $port, $jobs) = @ARGV;
my $done = 0;
my $worker = Gearman::Worker->new;
$worker->job_servers("$host:$port");
$worker->register_function(reverse => sub { $done++; return scalar reverse $_[0]->arg; });
$worker->work(stop_if => sub { $done >= $jobs });
