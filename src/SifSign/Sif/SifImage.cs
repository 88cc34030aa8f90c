using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace SifSign.Sif;

/// <summary>
/// A SIF image opened from a file: validated header and descriptors, bounded reads of object data, and
/// the writer operations (create, add, delete, set primary partition, as sylabs/sif pkg/sif create.go).
/// </summary>
/// <remarks>
/// Writes follow a fixed order so that an interrupted operation leaves a readable image: new object
/// data is appended and flushed first, then the descriptor slots, then the header. A failure restores
/// the previous descriptor and header bytes and the previous file length.
/// </remarks>
public sealed class SifImage : IDisposable
{
    /// <summary>Receives one chunk of object data.</summary>
    internal delegate void ChunkAction(ReadOnlySpan<byte> chunk);

    /// <summary>The buffer size used for copying and hashing object data.</summary>
    internal const int BufferSize = 1 << 20;

    /// <summary>The most descriptor slots an image may declare; guards memory against hostile headers.</summary>
    internal const long MaxDescriptors = 1 << 16;

    private const long DefaultDescriptorsOffset = 4096;
    private const long PartitionAlignment = 4096;

    private readonly FileStream file;
    private SifHeader header;
    private SifDescriptor?[] slots;

    private SifImage(string path, FileStream file, bool writable, SifHeader header, SifDescriptor?[] slots)
    {
        Path = path;
        this.file = file;
        IsWritable = writable;
        this.header = header;
        this.slots = slots;
    }

    /// <summary>The path the image was opened from.</summary>
    public string Path { get; }

    /// <summary>True when the image was opened for writing.</summary>
    public bool IsWritable { get; }

    /// <summary>The current global header.</summary>
    public SifHeader Header => header;

    /// <summary>The used descriptors in slot order.</summary>
    public IReadOnlyList<SifDescriptor> Descriptors => [.. slots.OfType<SifDescriptor>()];

    /// <summary>The current length of the file.</summary>
    public long FileLength => RandomAccess.GetLength(file.SafeFileHandle);

    /// <summary>
    /// Opens and validates an image. Throws <see cref="SifFormatException"/> for malformed files and
    /// <see cref="SifException"/> when the file cannot be opened (missing, unreadable, unwritable, or in
    /// use by another writer).
    /// </summary>
    public static SifImage Open(string path, bool writable = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        var stream = OpenFile(path, writable);
        try
        {
            var (header, slots) = Load(stream.SafeFileHandle);
            return new SifImage(path, stream, writable, header, slots);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates a new image at <paramref name="path"/> holding <paramref name="objects"/> in order (IDs 1, 2,
    /// …), replacing any existing file only once the new one is complete.
    /// </summary>
    public static void Create(string path, SifCreateOptions options, IEnumerable<SifObjectInput> objects)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(objects);

        var launch = Encoding.UTF8.GetBytes(options.LaunchScript);
        if (launch.Length >= SifHeader.LaunchScriptSize)
        {
            throw new SifException("launch script too large");
        }

        if (options.DescriptorCapacity is <= 0 or > (int)MaxDescriptors)
        {
            throw new SifException($"descriptor capacity must be between 1 and {MaxDescriptors}");
        }

        var launchBytes = new byte[SifHeader.LaunchScriptSize];
        launch.CopyTo(launchBytes, 0);
        var time = options.Deterministic
            ? SifHeader.UnsetTime
            : (options.Time ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds();
        var capacity = (long)options.DescriptorCapacity;
        var header = new SifHeader
        {
            LaunchScriptBytes = launchBytes,
            VersionBytes = SifHeader.CurrentVersion.ToArray(),
            Arch = "00",
            Id = options.Id ?? (options.Deterministic ? Guid.Empty : Guid.NewGuid()),
            CreatedAt = time,
            ModifiedAt = time,
            DescriptorsFree = capacity,
            DescriptorsTotal = capacity,
            DescriptorsOffset = DefaultDescriptorsOffset,
            DescriptorsSize = capacity * SifDescriptor.RecordSize,
            DataOffset = DefaultDescriptorsOffset + (capacity * SifDescriptor.RecordSize),
            DataSize = 0,
        };

        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            FileStream stream;
            try
            {
                stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SifException($"cannot create {path}: {e.Message}", e);
            }

            using (var image = new SifImage(temp, stream, true, header, new SifDescriptor?[capacity]))
            {
                stream.SetLength(header.DataOffset);
                image.WriteHeader(header);
                image.AppendObjects([.. objects], time, hook: null, firstFreeSlot: false);
            }

            try
            {
                File.Move(temp, path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SifException($"cannot create {path}: {e.Message}", e);
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The used descriptor with <paramref name="id"/>; throws <see cref="SifException"/> "object not found".</summary>
    public SifDescriptor GetDescriptor(uint id) =>
        FindDescriptor(id) ?? throw new SifException("object not found");

    /// <summary>The used descriptor with <paramref name="id"/>, or null.</summary>
    public SifDescriptor? FindDescriptor(uint id) =>
        id == 0 ? null : Array.Find(slots, d => d is not null && d.Id == id);

    /// <summary>A read-only stream over exactly the object's bytes. Dispose it; the image stays open.</summary>
    public Stream OpenObject(SifDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return new SifObjectStream(file.SafeFileHandle, descriptor.Offset, descriptor.Size);
    }

    /// <summary>
    /// Reads a whole object into memory, refusing objects larger than <paramref name="maxSize"/> (for
    /// signatures and other small metadata objects).
    /// </summary>
    public byte[] ReadObject(SifDescriptor descriptor, int maxSize)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Size > maxSize)
        {
            throw new SifFormatException(
                $"object {descriptor.Id} is {descriptor.Size} bytes, more than the {maxSize} allowed for its type");
        }

        var bytes = new byte[descriptor.Size];
        ReadExactly(descriptor.Offset, bytes);
        return bytes;
    }

    /// <summary>
    /// Adds one object at the end of the image (first free slot; ID = slot + 1) and returns its
    /// descriptor. Deterministic images keep unset times.
    /// </summary>
    public SifDescriptor AddObject(SifObjectInput input, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AppendObjects([input], OperationTime(time), hook: null)[0];
    }

    /// <summary>
    /// Deletes object <paramref name="id"/>: zeroes its descriptor, optionally zeroes its data, and
    /// optionally truncates the file when the object is the last one (sylabs/sif pkg/sif create.go, DeleteObject).
    /// </summary>
    public void DeleteObject(uint id, bool zero = false, bool compact = false, TimeProvider? time = null)
    {
        EnsureWritable();
        var descriptor = GetDescriptor(id);
        var slot = Array.IndexOf(slots, descriptor);
        var end = descriptor.Offset + descriptor.Size;
        if (compact && slots.Any(d => d is not null && d.Offset + d.Size > end))
        {
            throw new SifException("compact not implemented for non-last object");
        }

        if (compact && (descriptor.SizeWithPadding < descriptor.Size || descriptor.SizeWithPadding > end - header.DataOffset))
        {
            throw new SifFormatException($"object {id} has an invalid padded size");
        }

        var paddedStart = end - descriptor.SizeWithPadding;

        var now = OperationTime(time);
        var newHeader = header with
        {
            DescriptorsFree = header.DescriptorsFree + 1,
            ModifiedAt = now,
            DataSize = compact ? header.DataSize - descriptor.SizeWithPadding : header.DataSize,
            Arch = IsPrimary(descriptor) ? "00" : header.Arch,
        };

        Guarded(() =>
        {
            WriteSlot(slot, null);
            file.Flush(flushToDisk: true);
            WriteHeader(newHeader);
            slots[slot] = null;
            header = newHeader;
            if (zero)
            {
                ZeroRange(descriptor.Offset, descriptor.Size);
            }

            if (compact)
            {
                file.SetLength(paddedStart);
            }

            file.Flush(flushToDisk: true);
        });
    }

    /// <summary>
    /// Makes system partition <paramref name="id"/> the primary one (the previous primary becomes a
    /// plain system partition) and copies its architecture to the header (sylabs/sif pkg/sif create.go, SetPrimPart).
    /// </summary>
    public void SetPrimaryPartition(uint id, TimeProvider? time = null)
    {
        EnsureWritable();
        var descriptor = GetDescriptor(id);
        if (descriptor.DataType != SifDataType.Partition)
        {
            throw new SifException("data object not a partition");
        }

        var (fs, part, arch) = descriptor.GetPartitionMetadata();
        if (part == SifPartType.PrimarySystem)
        {
            return;
        }

        if (part != SifPartType.System)
        {
            throw new SifException("data object not a system partition");
        }

        var now = OperationTime(time);
        var changes = new List<(int Slot, SifDescriptor Descriptor)>();
        var oldPrimary = Array.Find(slots, d => d is not null && IsPrimary(d));
        if (oldPrimary is not null)
        {
            var (oldFs, _, oldArch) = oldPrimary.GetPartitionMetadata();
            changes.Add((Array.IndexOf(slots, oldPrimary),
                oldPrimary with { Extra = SifObjectInput.PartitionExtraFromCode(oldFs, SifPartType.System, oldArch), ModifiedAt = now }));
        }

        changes.Add((Array.IndexOf(slots, descriptor),
            descriptor with { Extra = SifObjectInput.PartitionExtraFromCode(fs, SifPartType.PrimarySystem, arch), ModifiedAt = now }));
        var newHeader = header with { Arch = arch, ModifiedAt = now };
        Guarded(() =>
        {
            foreach (var (slot, changed) in changes)
            {
                WriteSlot(slot, changed);
                slots[slot] = changed;
            }

            file.Flush(flushToDisk: true);
            WriteHeader(newHeader);
            header = newHeader;
            file.Flush(flushToDisk: true);
        });
    }

    /// <inheritdoc/>
    public void Dispose() => file.Dispose();

    /// <summary>The time an add/delete/set operation records: unset for deterministic images.</summary>
    internal long OperationTime(TimeProvider? time) => header.IsDeterministic
        ? SifHeader.UnsetTime
        : (time ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds();

    /// <summary>
    /// Appends objects as one crash-safe step: data first (flushed), then descriptor slots, then the
    /// header. On any failure the previous slot bytes, header and file length are restored.
    /// </summary>
    internal IReadOnlyList<SifDescriptor> AppendObjects(
        IReadOnlyList<SifObjectInput> inputs, long time, Action<SifWriteStep>? hook, bool firstFreeSlot = true)
    {
        EnsureWritable();
        var free = slots.Count(d => d is null);
        if (inputs.Count > free)
        {
            throw new SifException("insufficient descriptor capacity to add data object(s) to image");
        }

        var originalLength = FileLength;
        var originalHeader = new byte[SifHeader.RecordSize];
        ReadExactly(0, originalHeader);
        var newSlots = (SifDescriptor?[])slots.Clone();
        var written = new List<(int Slot, byte[] Original)>();
        var added = new List<SifDescriptor>();
        var newHeader = header;
        try
        {
            foreach (var input in inputs)
            {
                var slot = firstFreeSlot ? Array.IndexOf(newSlots, null) : added.Count;
                var descriptor = WriteData(input, slot, newSlots, time, ref newHeader);
                newSlots[slot] = descriptor;
                added.Add(descriptor);
            }

            hook?.Invoke(SifWriteStep.DataWritten);
            file.Flush(flushToDisk: true);
            hook?.Invoke(SifWriteStep.DataFlushed);
            foreach (var descriptor in added)
            {
                var slot = Array.IndexOf(newSlots, descriptor);
                var original = new byte[SifDescriptor.RecordSize];
                ReadExactly(SlotOffset(slot), original);
                written.Add((slot, original));
                WriteSlot(slot, descriptor);
                hook?.Invoke(SifWriteStep.DescriptorWritten);
            }

            file.Flush(flushToDisk: true);
            hook?.Invoke(SifWriteStep.DescriptorsFlushed);
            newHeader = newHeader with
            {
                DescriptorsFree = newHeader.DescriptorsFree - inputs.Count,
                ModifiedAt = time,
            };
            WriteHeader(newHeader);
            hook?.Invoke(SifWriteStep.HeaderWritten);
            file.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is not SifSimulatedCrashException)
        {
            Restore(written, originalHeader, originalLength);
            if (e is IOException or UnauthorizedAccessException)
            {
                throw new SifException($"writing {Path} failed: {e.Message}", e);
            }

            throw;
        }

        slots = newSlots;
        header = newHeader;
        return added;
    }

    /// <summary>
    /// Passes the object's bytes to <paramref name="action"/> in 1 MiB chunks, reporting bytes read. The
    /// next chunk is read while the current one is processed, so hashing a large object costs about what
    /// the hash alone costs, with two buffers of memory whatever the object size.
    /// </summary>
    internal void ReadChunks(SifDescriptor descriptor, ChunkAction action, IProgress<long>? progress)
    {
        var buffers = new[] { ArrayPool<byte>.Shared.Rent(BufferSize), ArrayPool<byte>.Shared.Rent(BufferSize) };
        Task? pending = null;
        try
        {
            var position = descriptor.Offset;
            var end = descriptor.Offset + descriptor.Size;
            var current = 0;
            var length = (int)Math.Min(end - position, BufferSize);
            ReadExactly(position, buffers[current].AsSpan(0, length));
            while (length > 0)
            {
                var next = position + length;
                var nextLength = (int)Math.Min(end - next, BufferSize);
                var nextBuffer = buffers[1 - current];
                pending = nextLength > 0 ? Task.Run(() => ReadExactly(next, nextBuffer.AsSpan(0, nextLength))) : null;
                action(buffers[current].AsSpan(0, length));
                progress?.Report(length);
                pending?.GetAwaiter().GetResult();
                pending = null;
                position = next;
                length = nextLength;
                current = 1 - current;
            }
        }
        finally
        {
            // Never hand a buffer back to the pool while a read may still write into it.
            try
            {
                pending?.Wait();
            }
            catch (AggregateException)
            {
                // The caller is already unwinding with the first failure.
            }

            ArrayPool<byte>.Shared.Return(buffers[0]);
            ArrayPool<byte>.Shared.Return(buffers[1]);
        }
    }

    private static FileStream OpenFile(string path, bool writable)
    {
        try
        {
            // A writer takes an exclusive lock so two signers cannot interleave their appends.
            return writable
                ? new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None)
                : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
        }
        catch (FileNotFoundException e)
        {
            throw new SifException($"{path}: no such file", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new SifException($"{path}: no such file", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new SifException($"{path}: permission denied{(writable ? " (the image must be writable)" : "")}", e);
        }
        catch (IOException e)
        {
            throw new SifException($"cannot open {path}: {e.Message}", e);
        }
    }

    private static (SifHeader Header, SifDescriptor?[] Slots) Load(SafeFileHandle handle)
    {
        var length = RandomAccess.GetLength(handle);
        if (length < SifHeader.RecordSize)
        {
            throw new SifFormatException($"file too small to be a SIF image ({length} bytes)");
        }

        var headerBytes = new byte[SifHeader.RecordSize];
        ReadExactly(handle, 0, headerBytes);
        var header = SifHeader.Parse(headerBytes);

        if (header.DescriptorsTotal is < 0 or > MaxDescriptors)
        {
            throw new SifFormatException($"invalid descriptor count {header.DescriptorsTotal}");
        }

        var tableSize = header.DescriptorsTotal * SifDescriptor.RecordSize;
        if (header.DescriptorsOffset < SifHeader.RecordSize || header.DescriptorsSize < tableSize
            || header.DescriptorsOffset > length - tableSize)
        {
            throw new SifFormatException(
                $"descriptors ({header.DescriptorsTotal} at offset {header.DescriptorsOffset}) lie outside the file");
        }

        if (header.DescriptorsFree < 0 || header.DescriptorsFree > header.DescriptorsTotal)
        {
            throw new SifFormatException($"invalid free descriptor count {header.DescriptorsFree}");
        }

        if (header.DataOffset < 0 || header.DataSize < 0)
        {
            throw new SifFormatException("negative data offset or size in header");
        }

        if (header.DataOffset > length)
        {
            throw new SifFormatException($"data offset {header.DataOffset} lies beyond the end of the file ({length})");
        }

        var slots = new SifDescriptor?[header.DescriptorsTotal];
        var record = new byte[SifDescriptor.RecordSize];
        var ids = new HashSet<uint>();
        for (var i = 0; i < slots.Length; i++)
        {
            ReadExactly(handle, header.DescriptorsOffset + ((long)i * SifDescriptor.RecordSize), record);
            var descriptor = SifDescriptor.Parse(record);
            if (descriptor is null)
            {
                continue;
            }

            Validate(descriptor, header, tableSize, length);
            if (!ids.Add(descriptor.Id))
            {
                throw new SifFormatException($"duplicate object ID {descriptor.Id}");
            }

            slots[i] = descriptor;
        }

        CheckOverlaps(slots);
        return (header, slots);
    }

    private static void Validate(SifDescriptor d, SifHeader header, long tableSize, long length)
    {
        if (d.Id == 0)
        {
            throw new SifFormatException("object with ID 0");
        }

        if (d.Size < 0 || d.Offset < 0)
        {
            throw new SifFormatException($"object {d.Id} has a negative offset or size");
        }

        if (d.Offset > length - d.Size)
        {
            throw new SifFormatException($"object {d.Id} ({d.Offset}+{d.Size}) extends beyond the end of the file ({length})");
        }

        var tableEnd = header.DescriptorsOffset + tableSize;
        var end = d.Offset + d.Size;
        if (d.Size > 0 && (d.Offset < SifHeader.RecordSize || (d.Offset < tableEnd && header.DescriptorsOffset < end)))
        {
            throw new SifFormatException($"object {d.Id} overlaps the header or the descriptors");
        }
    }

    private static void CheckOverlaps(SifDescriptor?[] slots)
    {
        var ranges = slots.OfType<SifDescriptor>().Where(d => d.Size > 0).OrderBy(d => d.Offset).ToList();
        for (var i = 1; i < ranges.Count; i++)
        {
            if (ranges[i].Offset < ranges[i - 1].Offset + ranges[i - 1].Size)
            {
                throw new SifFormatException($"objects {ranges[i - 1].Id} and {ranges[i].Id} overlap");
            }
        }
    }

    private static bool IsPrimary(SifDescriptor d) =>
        d.DataType == SifDataType.Partition && d.GetPartitionMetadata().PartType == SifPartType.PrimarySystem;

    private static void ReadExactly(SafeFileHandle handle, long offset, Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var n = RandomAccess.Read(handle, buffer, offset);
            if (n == 0)
            {
                throw new SifFormatException($"unexpected end of file at offset {offset}");
            }

            buffer = buffer[n..];
            offset += n;
        }
    }

    private void ReadExactly(long offset, Span<byte> buffer) => ReadExactly(file.SafeFileHandle, offset, buffer);

    private SifDescriptor WriteData(
        SifObjectInput input, int slot, SifDescriptor?[] current, long time, ref SifHeader newHeader)
    {
        var extra = input.Extra;
        if (extra.Length > SifDescriptor.ExtraSize)
        {
            throw new SifException($"extra metadata exceeds {SifDescriptor.ExtraSize} bytes");
        }

        var name = SifDescriptor.EncodeName(input.Name);
        var isPrimary = input.DataType == SifDataType.Partition && extra.Length >= 8
            && (SifPartType)System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(extra.Span[4..]) == SifPartType.PrimarySystem;
        if (isPrimary && current.Any(d => d is not null && IsPrimary(d)))
        {
            throw new SifException("image already contains a primary partition");
        }

        var dataEnd = current.OfType<SifDescriptor>().Select(d => d.Offset + d.Size).DefaultIfEmpty(newHeader.DataOffset).Max();
        var unaligned = Math.Max(dataEnd, newHeader.DataOffset);
        var alignment = input.Alignment ?? (input.DataType == SifDataType.Partition ? PartitionAlignment : 0);
        if (alignment < 0)
        {
            throw new SifException("alignment must not be negative");
        }

        var offset = alignment > 1 && unaligned % alignment != 0 ? unaligned - (unaligned % alignment) + alignment : unaligned;
        using var oci = input.DataType is SifDataType.OciBlob or SifDataType.OciRootIndex
            ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256)
            : null;
        var size = CopyIn(input.Data, offset, oci);
        if (oci is not null)
        {
            var digest = "sha256:" + Convert.ToHexStringLower(oci.GetHashAndReset());
            var ociExtra = new byte[SifDescriptor.ExtraSize];
            Encoding.ASCII.GetBytes(digest, ociExtra);
            extra = ociExtra;
        }

        var fullExtra = new byte[SifDescriptor.ExtraSize];
        extra.Span.CopyTo(fullExtra);
        var descriptor = new SifDescriptor
        {
            DataType = input.DataType,
            Id = checked((uint)slot + 1),
            RawGroupId = input.GroupId | SifDescriptor.GroupMask,
            RawLinkedId = input.LinkToGroup ? input.LinkedId | SifDescriptor.GroupMask : input.LinkedId,
            Offset = offset,
            Size = size,
            SizeWithPadding = offset - unaligned + size,
            CreatedAt = input.CreatedAt ?? time,
            ModifiedAt = input.CreatedAt ?? time,
            NameBytes = name,
            Extra = fullExtra,
        };
        newHeader = newHeader with
        {
            DataSize = offset + size - newHeader.DataOffset,
            Arch = isPrimary ? SifHeader.CString(fullExtra.AsSpan(8, 3)) : newHeader.Arch,
        };
        return descriptor;
    }

    private long CopyIn(Stream source, long offset, IncrementalHash? hash)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            int n;
            while ((n = source.Read(buffer, 0, BufferSize)) > 0)
            {
                RandomAccess.Write(file.SafeFileHandle, buffer.AsSpan(0, n), offset + total);
                hash?.AppendData(buffer, 0, n);
                total += n;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ZeroRange(long offset, long size)
    {
        var zeros = new byte[(int)Math.Min(size, BufferSize)];
        for (long done = 0; done < size; done += zeros.Length)
        {
            RandomAccess.Write(file.SafeFileHandle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, size - done)), offset + done);
        }
    }

    private long SlotOffset(int slot) => header.DescriptorsOffset + ((long)slot * SifDescriptor.RecordSize);

    private void WriteSlot(int slot, SifDescriptor? descriptor)
    {
        var record = new byte[SifDescriptor.RecordSize];
        descriptor?.Write(record);
        RandomAccess.Write(file.SafeFileHandle, record, SlotOffset(slot));
    }

    private void WriteHeader(SifHeader value)
    {
        var bytes = new byte[SifHeader.RecordSize];
        value.Write(bytes);
        RandomAccess.Write(file.SafeFileHandle, bytes, 0);
    }

    private void Restore(List<(int Slot, byte[] Original)> written, byte[] originalHeader, long originalLength)
    {
        try
        {
            foreach (var (slot, original) in written)
            {
                RandomAccess.Write(file.SafeFileHandle, original, SlotOffset(slot));
            }

            RandomAccess.Write(file.SafeFileHandle, originalHeader, 0);
            file.SetLength(originalLength);
            file.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // The original failure is what the caller needs to see; the write order above already
            // guarantees the image reads as before or with the complete new objects.
        }
    }

    private void Guarded(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SifException($"writing {Path} failed: {e.Message}", e);
        }
    }

    private void EnsureWritable()
    {
        if (!IsWritable)
        {
            throw new SifException($"{Path} was opened read-only");
        }
    }
}
