#!/bin/bash
# Generates the Keyserver.Core test vectors once (kept for the record; not run by tests).
set -e
export GNUPGHOME=$(mktemp -d /tmp/core-testdata.XXXX)
OUT=$(dirname "$0")
G="gpg --batch --quiet --pinentry-mode loopback --passphrase ''"
fpr() { gpg --batch --with-colons --list-keys "$1" | awk -F: '/^fpr/{print $10; exit}'; }

$G --quick-gen-key 'Alice Example <alice@example.org>' rsa2048 default 2y
A=$(fpr alice@example.org)
$G --quick-add-uid $A 'Alice Work <alice@work.example>'
$G --quick-add-uid $A 'Alice Old <old@example.org>'
$G --quick-revoke-uid $A 'Alice Old <old@example.org>'
$G --quick-add-key $A rsa2048 sign 1y
$G --export $A > $OUT/rsa-alice.pgp

$G --quick-gen-key 'Dave DSA <dave@example.org>' dsa2048 default never
D=$(fpr dave@example.org)
$G --quick-add-key $D elg2048 encr never
$G --armor --export $D > $OUT/dsa-elg-dave.asc

$G --quick-gen-key 'Nina P256 <nina@example.org>' nistp256 default never
N=$(fpr nina@example.org)
$G --quick-add-key $N nistp256 encr never
$G --armor --export $N > $OUT/nistp256-nina.asc

$G --quick-gen-key 'Paul P384 <paul@example.org>' nistp384 default never
P=$(fpr paul@example.org)
$G --quick-add-key $P nistp384 encr never
$G --armor --export $P > $OUT/nistp384-paul.asc

$G --quick-gen-key 'Bruno Brainpool <bruno@example.org>' brainpoolP256r1 default never
B=$(fpr bruno@example.org)
$G --quick-add-key $B brainpoolP256r1 encr never
$G --armor --export $B > $OUT/brainpool-bruno.asc

$G --quick-gen-key 'Eve Ed25519 <eve@example.org>' ed25519 default never
E=$(fpr eve@example.org)
$G --quick-add-key $E cv25519 encr never
$G --armor --export $E > $OUT/ed25519-eve.asc
$G --armor --export-secret-keys $E > $OUT/ed25519-eve-secret.asc
# gpg stores a revocation certificate at key creation; its armor line is prefixed with ':' so that
# it cannot be imported by accident.
sed 's/^:-----/-----/' $GNUPGHOME/openpgp-revocs.d/$E.rev | sed -n '/^-----BEGIN/,/^-----END/p' > $OUT/ed25519-eve-revocation.asc
# Alice certifies Eve's user ID: a third-party certification.
$G --default-key $A --quick-sign-key $E
$G --armor --export $E > $OUT/ed25519-eve-certified-by-alice.asc

$G --faked-system-time 20200101T000000! --quick-gen-key 'Old Timer <old@timer.example>' ed25519 default 1d
O=$(fpr old@timer.example)
$G --armor --export $O > $OUT/expired-oldtimer.asc
echo done
