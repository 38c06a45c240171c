namespace SignTranslate.Checkpoints.Pretrained;

/// <summary>The kind of a SentencePiece piece (<c>ModelProto.SentencePiece.Type</c>).</summary>
public enum SentencePieceType
{
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}

/// <summary>
/// A SentencePiece <c>.model</c> file (a <c>ModelProto</c> protocol buffer) read just far enough to list its pieces
/// and write a copy that keeps a subset of them. Everything else (trainer and normaliser specs) is copied byte for
/// byte, so the trimmed model normalises exactly like the original. For a Unigram model, text whose best
/// segmentation uses only kept pieces segments the same way after trimming.
/// </summary>
public sealed class SentencePieceModelFile
{
    private const int PiecesField = 1;
    private const int PieceTypeField = 3;

    private readonly byte[] _bytes;
    private readonly List<(int Start, int Length)> _pieceRecords = [];   // whole field-1 records, tag included
    private readonly List<SentencePieceType> _pieceTypes = [];

    public SentencePieceModelFile(byte[] modelBytes)
    {
        _bytes = modelBytes;
        var position = 0;
        while (position < _bytes.Length)
        {
            var start = position;
            var (field, wireType) = ReadTag(ref position);
            var (payloadStart, payloadLength) = SkipValue(wireType, ref position);
            if (field == PiecesField && wireType == 2)
            {
                _pieceRecords.Add((start, position - start));
                _pieceTypes.Add(ReadPieceType(payloadStart, payloadLength));
            }
        }
    }

    /// <summary>Number of pieces (SentencePiece ids 0..Count−1).</summary>
    public int PieceCount => _pieceRecords.Count;

    public SentencePieceType TypeOf(int id) => _pieceTypes[id];

    /// <summary>
    /// The model with only <paramref name="keptIds"/> (ascending, distinct), which become ids 0..n−1 in that order.
    /// Other fields keep their place relative to the piece list.
    /// </summary>
    public byte[] Keep(IReadOnlyList<int> keptIds)
    {
        for (var i = 0; i < keptIds.Count; i++)
            if (keptIds[i] < 0 || keptIds[i] >= PieceCount || (i > 0 && keptIds[i] <= keptIds[i - 1]))
                throw new ArgumentException("kept piece ids must be ascending, distinct and within the model", nameof(keptIds));
        using var output = new MemoryStream();
        var firstPiece = _pieceRecords.Count == 0 ? _bytes.Length : _pieceRecords[0].Start;
        var lastPiece = _pieceRecords.Count == 0 ? _bytes.Length : _pieceRecords[^1].Start + _pieceRecords[^1].Length;
        output.Write(_bytes, 0, firstPiece);
        foreach (var id in keptIds)
            output.Write(_bytes, _pieceRecords[id].Start, _pieceRecords[id].Length);
        // Non-piece fields interleaved with the pieces (not written by SentencePiece, but legal) are kept in order.
        var position = firstPiece;
        while (position < lastPiece)
        {
            var start = position;
            var (field, wireType) = ReadTag(ref position);
            SkipValue(wireType, ref position);
            if (field != PiecesField) output.Write(_bytes, start, position - start);
        }
        output.Write(_bytes, lastPiece, _bytes.Length - lastPiece);
        return output.ToArray();
    }

    private SentencePieceType ReadPieceType(int start, int length)
    {
        var position = start;
        var type = SentencePieceType.Normal;   // the proto default
        while (position < start + length)
        {
            var (field, wireType) = ReadTag(ref position);
            if (field == PieceTypeField && wireType == 0)
                type = (SentencePieceType)(int)ReadVarint(ref position);
            else
                SkipValue(wireType, ref position);
        }
        return type;
    }

    private (int Field, int WireType) ReadTag(ref int position)
    {
        var tag = ReadVarint(ref position);
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    private (int Start, int Length) SkipValue(int wireType, ref int position)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint(ref position);
                return (position, 0);
            case 1:
                position += 8;
                break;
            case 2:
                var length = (int)ReadVarint(ref position);
                var start = position;
                position += length;
                if (position > _bytes.Length) throw Invalid("a field runs past the end of the file");
                return (start, length);
            case 5:
                position += 4;
                break;
            default:
                throw Invalid($"unsupported protobuf wire type {wireType}");
        }
        if (position > _bytes.Length) throw Invalid("a field runs past the end of the file");
        return (position, 0);
    }

    private ulong ReadVarint(ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= _bytes.Length) throw Invalid("truncated varint");
            var b = _bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw Invalid("varint longer than 10 bytes");
    }

    private static InvalidDataException Invalid(string what) => new($"not a SentencePiece model: {what}");
}
