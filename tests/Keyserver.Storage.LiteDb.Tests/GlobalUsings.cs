// Namespaces most test files of this project use, imported once.
global using Keyserver.Contracts;
global using Keyserver.Core.Keys;
global using Keyserver.Core.Storage;
global using LiteDB;
