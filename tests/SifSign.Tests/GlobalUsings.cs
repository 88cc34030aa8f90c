// Namespaces most test files of this project use, imported once.
global using System.Net;
global using System.Security.Cryptography;
global using System.Security.Cryptography.X509Certificates;
global using System.Text;
global using Org.BouncyCastle.Bcpg;
global using Org.BouncyCastle.Bcpg.OpenPgp;
global using Org.BouncyCastle.Crypto;
global using Org.BouncyCastle.Security;
global using SifSign.Dsse;
global using SifSign.Ecl;
global using SifSign.Hkp;
global using SifSign.Integrity;
global using SifSign.Keys;
global using SifSign.Pki;
global using SifSign.Sif;
global using SifSign.Tests.Pki;
global using SifSign.Tests.TestSupport;
