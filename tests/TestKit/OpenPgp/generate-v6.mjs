// Makes the v6 (RFC 9580) test certificate with OpenPGP.js 6.3.2, once:
//   npm install openpgp@6.3.2 && node generate-v6.mjs
// The printed armor is pasted into V6Certificates.cs; the tests never run this.
import * as openpgp from 'openpgp';
import { writeFileSync } from 'node:fs';

const { publicKey, privateKey } = await openpgp.generateKey({
  type: 'curve25519',
  userIDs: [{ name: 'Vera Six', email: 'vera.six@example.org' }],
  date: new Date('2026-12-01T00:00:00Z'),
  format: 'armored',
  config: { v6Keys: true },
});
writeFileSync('openpgpjs-v6-vera.asc', publicKey);
void privateKey; // the secret key is not kept
const key = await openpgp.readKey({ armoredKey: publicKey });
console.log(key.keyPacket.version, key.getFingerprint(), key.getSubkeys().map(s => s.getFingerprint()));
