// Namespaces most test files of this project use, imported once.
global using System.Text;
global using Keyserver.Core.Admin;
global using Keyserver.Core.Ingest;
global using Keyserver.Core.Keys;
global using Keyserver.Core.Packets;
global using Keyserver.Core.Search;
global using Keyserver.Core.Storage;
global using Keyserver.Core.Tests.Verification;
global using Keyserver.Core.Verification;
global using Org.BouncyCastle.Bcpg.OpenPgp;
global using TestKit.OpenPgp;
