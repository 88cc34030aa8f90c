// Namespaces most test files of this project use, imported once.
global using Keyserver.Core.Admin;
global using Keyserver.Core.Keys;
global using Keyserver.Core.Verification;
