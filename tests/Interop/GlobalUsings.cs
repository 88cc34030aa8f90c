// Namespaces most test files of this project use, imported once.
global using System.Diagnostics;
global using System.Globalization;
global using System.Net;
global using System.Net.Sockets;
global using System.Text;
global using System.Text.Json;
global using System.Text.RegularExpressions;
global using Interop.Tests.Infrastructure;
global using Interop.Tests.Sif;
global using Interop.Tests.Verification;
global using Keyserver.Storage.LiteDb;
global using Microsoft.Playwright;
global using Org.BouncyCastle.Bcpg.OpenPgp;
global using TestKit.Mail;
global using TestKit.OpenPgp;
