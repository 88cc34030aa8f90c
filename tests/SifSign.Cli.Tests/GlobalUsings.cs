// Namespaces most test files of this project use, imported once.
global using System.Net;
global using System.Text;
global using SifSign.Cli.Console;
global using SifSign.Cli.Tests.TestSupport;
global using SifSign.Keys;
