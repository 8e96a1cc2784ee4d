namespace Orchestrator.Core.Schemas.Values;

/// <summary>Escaping of JSON Pointer (RFC 6901) tokens, shared by schema locations and instance paths.</summary>
internal static class JsonPointer
{
    public static string Escape(string token) => token.Replace("~", "~0").Replace("/", "~1");

    /// <summary>Reverses <see cref="Escape"/>; false when a "~" is not followed by 0 or 1, which RFC 6901 forbids.</summary>
    public static bool TryUnescape(string token, out string unescaped)
    {
        for (int i = token.IndexOf('~'); i >= 0; i = token.IndexOf('~', i + 1))
        {
            if (i + 1 >= token.Length || token[i + 1] is not ('0' or '1'))
            {
                unescaped = "";
                return false;
            }
        }

        // "~1" first: "~01" must become "~1", not "/".
        unescaped = token.Replace("~1", "/").Replace("~0", "~");
        return true;
    }
}
