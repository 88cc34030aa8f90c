// Namespaces most test files of this project use, imported once.
global using Keyserver.Core.Storage;
