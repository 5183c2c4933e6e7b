#!/usr/bin/perl
# An OpenSSL TLS front for a plain job server (the stunnel pattern), so the library's TLS is proven against a TLS
# stack that is not .NET's. Usage: tls-terminator.pl LISTEN_PORT BACKEND_PORT CERT KEY CA REQUIRE_CLIENT_CERT(0|1)
use strict;
use warnings;
use IO::Socket::IP;
use IO::Socket::SSL;
use IO::Select;

my ($listen_port, $backend_port, $cert, $key, $ca, $require) = @ARGV;
$SIG{CHLD} = 'IGNORE';
$| = 1;
my $listener = IO::Socket::IP->new(LocalHost => '127.0.0.1', LocalPort => $listen_port, Listen => 64, ReuseAddr => 1)
    or die "listen: $!";
print "listening\n";
while (my $client = $listener->accept) {
    my $pid = fork;
    die "fork: $!" unless defined $pid;
    if ($pid) { close $client; next; }
    close $listener;
    my $tls = IO::Socket::SSL->start_SSL($client, SSL_server => 1, SSL_cert_file => $cert, SSL_key_file => $key,
        SSL_ca_file => $ca,
        SSL_verify_mode => $require ? (SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT) : SSL_VERIFY_NONE);
    unless ($tls) { print STDERR "handshake refused: $SSL_ERROR\n"; exit 0; }
    my $backend = IO::Socket::IP->new(PeerHost => '127.0.0.1', PeerPort => $backend_port) or exit 1;
    my $select = IO::Select->new($tls, $backend);
    while (1) {
        for my $ready ($select->can_read) {
            my $other = $ready == $tls ? $backend : $tls;
            do {
                my $n = sysread($ready, my $buffer, 16384);
                exit 0 unless $n;
                syswrite($other, $buffer) or exit 0;
            } while ($ready == $tls && $tls->pending);
        }
    }
}
