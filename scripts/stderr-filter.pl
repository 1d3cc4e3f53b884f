#!/usr/bin/perl
# stderr filter of the ./segloss launcher: drops exactly the start-up noise lines listed in @drop (the
# JVM's incubator-module warning, TensorFlow's two absl lines), also when one is written over a cleared
# progress line (after a carriage return: compare --workers prints its child JVMs' stderr above its live
# line), and copies everything else to stdout the moment it arrives. Unlike a line-buffered filter it does
# not wait for a newline: text that cannot be the start of a dropped line (for instance the progress line
# of train/compare, redrawn with "\r" and no newline) is written at once. Only a partial line that may
# still become a dropped one is held, and for at most half a second.
use strict;
use warnings;

my @drop = (
  qr/^WARNING: Using incubator modules: jdk\.incubator\.vector$/,
  qr/^WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR$/,
  qr/^I0000 [0-9:. ]* mlir_graph_optimization_pass\.cc:[0-9]*\] MLIR V1 optimization pass is not enabled$/,
);
# how every dropped line begins: a partial line is held only while it may still become one of them
my @starts = ('WARNING: ', 'I0000 ');

binmode STDIN;
binmode STDOUT;
$| = 1;

sub maybe_dropped {
  my ($partial) = @_;
  for my $s (@starts) {
    my $n = length($partial) < length($s) ? length($partial) : length($s);
    return 1 if substr($partial, 0, $n) eq substr($s, 0, $n);
  }
  return 0;
}

sub out { my ($text) = @_; syswrite(STDOUT, $text) if length $text; }

my $buf = '';
my $held_since;
my $rin = '';
vec($rin, fileno(STDIN), 1) = 1;
while (1) {
  my $timeout = length($buf) ? 0.5 : undef;
  my $ready = select(my $rout = $rin, undef, undef, $timeout);
  if ($ready == 0) {    # a held partial line waited long enough: it is not a noise line being written
    out($buf);
    $buf = '';
    next;
  }
  my $n = sysread(STDIN, my $chunk, 65536);
  if (!defined $n) { next if $!{EINTR}; last; }
  last if $n == 0;
  $buf .= $chunk;
  while ((my $i = index($buf, "\n")) >= 0) {
    my $line = substr($buf, 0, $i);
    $buf = substr($buf, $i + 1);
    # what follows the last carriage return is the line as the terminal shows it: a noise line printed
    # over a cleared progress line is dropped, the carriage returns and the clearing before it are kept
    my $r = rindex($line, "\r");
    if (grep { substr($line, $r + 1) =~ $_ } @drop) {
      out(substr($line, 0, $r + 1));
      next;
    }
    out("$line\n");
  }
  # the unfinished line: write it now, but for a last part (after its last carriage return) that may still
  # become a dropped line
  if (length $buf) {
    my $r = rindex($buf, "\r");
    if (!maybe_dropped(substr($buf, $r + 1))) {
      out($buf);
      $buf = '';
    } elsif ($r >= 0) {
      out(substr($buf, 0, $r + 1));
      $buf = substr($buf, $r + 1);
    }
  }
}
out($buf);
