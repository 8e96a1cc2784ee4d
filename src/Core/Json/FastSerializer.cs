using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Orchestrator.Core.Json;

/// <summary>
/// The writers' path into the source-generated serializers. <see cref="JsonSerializer"/> only takes
/// a context's generated serialize handler when the options match the generated ones exactly (no
/// converters, no encoder), which ours never do; otherwise it builds the full property metadata of
/// every type it meets (hundreds of generic instantiations to compile and objects to allocate on a
/// process's first run). The handler writes the same JSON straight from the generated code, so the
/// first manifest and event of a short-lived process cost far less.
/// </summary>
public static class FastSerializer
{
    /// <summary>
    /// The context's generated writer for <typeparamref name="T"/>, taken from an unconfigured type
    /// info (creating one does not build property metadata); the ordinary serializer when the
    /// generator made none (a type with a custom converter, say).
    /// </summary>
    public static Action<Utf8JsonWriter, T> HandlerFor<T>(JsonSerializerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var resolver = (IJsonTypeInfoResolver)context;
        if (resolver.GetTypeInfo(typeof(T), context.Options) is JsonTypeInfo<T> { SerializeHandler: { } handler })
        {
            return handler;
        }

        var info = (JsonTypeInfo<T>)context.Options.GetTypeInfo(typeof(T));
        return (writer, value) => JsonSerializer.Serialize(writer, value, info);
    }
}
