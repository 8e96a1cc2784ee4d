using System.Runtime.InteropServices;
using System.Text;

namespace Orchestrator.Core.Native;

/// <summary>One NUL-terminated UTF-8 string in unmanaged memory, freed on dispose.</summary>
internal sealed unsafe class NativeString : IDisposable
{
    private byte* _bytes;

    public NativeString(string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        _bytes = (byte*)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(value, new Span<byte>(_bytes, length));
        _bytes[length] = 0;
    }

    public byte* Pointer => _bytes;

    public void Dispose()
    {
        if (_bytes != null)
        {
            NativeMemory.Free(_bytes);
            _bytes = null;
        }
    }
}
