using Keyserver.Core.Keys;

namespace Keyserver.Storage.LiteDb;

/// <summary>A record as read, with the stamp of the written version its documents came from.</summary>
internal sealed record StampedRecord(KeyRecord Record, Guid Stamp);
