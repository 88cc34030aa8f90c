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

# A primary key that never expires with one encryption subkey, exported armored.
# Arguments: user ID, its e-mail address, primary algorithm, subkey algorithm, output file.
pair() {
    $G --quick-gen-key "$1" "$3" default never
    local key
    key=$(fpr "$2")
    $G --quick-add-key "$key" "$4" encr never
    $G --armor --export "$key" > "$OUT/$5"
}

pair 'Dave DSA <dave@example.org>' dave@example.org dsa2048 elg2048 dsa-elg-dave.asc
pair 'Nina P256 <nina@example.org>' nina@example.org nistp256 nistp256 nistp256-nina.asc
pair 'Paul P384 <paul@example.org>' paul@example.org nistp384 nistp384 nistp384-paul.asc
pair 'Bruno Brainpool <bruno@example.org>' bruno@example.org brainpoolP256r1 brainpoolP256r1 brainpool-bruno.asc
pair 'Eve Ed25519 <eve@example.org>' eve@example.org ed25519 cv25519 ed25519-eve.asc
E=$(fpr eve@example.org)
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
