using System.Runtime.InteropServices;
using System.Text;

namespace Orchestrator.Core.Native;

/// <summary>
/// A NULL-terminated array of NUL-terminated UTF-8 strings in unmanaged memory (argv/envp for
/// posix_spawn). One allocation holds the pointers and the bytes so freeing is a single call.
/// </summary>
internal sealed unsafe class NativeStringArray : IDisposable
{
    private byte* _block;

    public NativeStringArray(IReadOnlyList<string> values)
    {
        int count = values.Count;
        nuint pointerBytes = (nuint)((count + 1) * sizeof(byte*));
        nuint textBytes = 0;
        for (int i = 0; i < count; i++)
        {
            textBytes += (nuint)Encoding.UTF8.GetByteCount(values[i]) + 1;
        }

        _block = (byte*)NativeMemory.Alloc(pointerBytes + textBytes);
        byte** pointers = (byte**)_block;
        byte* cursor = _block + pointerBytes;
        byte* end = _block + pointerBytes + textBytes;
        for (int i = 0; i < count; i++)
        {
            pointers[i] = cursor;
            int written = Encoding.UTF8.GetBytes(values[i], new Span<byte>(cursor, (int)(end - cursor)));
            cursor[written] = 0;
            cursor += written + 1;
        }

        pointers[count] = null;
    }

    public byte** Pointer => (byte**)_block;

    public void Dispose()
    {
        if (_block != null)
        {
            NativeMemory.Free(_block);
            _block = null;
        }
    }
}
