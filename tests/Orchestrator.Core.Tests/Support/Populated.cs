using System.Collections;
using System.Reflection;
using System.Text.Json;

namespace Orchestrator.Core.Tests.Support;

/// <summary>
/// Builds an instance of a record type with every property set to a value that is not its default
/// (nested records, lists and dictionaries with one entry), so a serializer comparison covers every field.
/// </summary>
internal static class Populated
{
    public static T Create<T>() => (T)Create(typeof(T), 0, "root");

    private static object Create(Type type, int depth, string name)
    {
        Type? nullable = Nullable.GetUnderlyingType(type);
        if (nullable is not null)
        {
            return Create(nullable, depth, name);
        }

        if (type == typeof(string))
        {
            return $"{name}-\"<é>&\n";
        }

        if (type == typeof(bool))
        {
            return true;
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(double))
        {
            return Convert.ChangeType(7 + name.Length, type, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (type == typeof(DateTimeOffset))
        {
            return new DateTimeOffset(2026, 11, 22, 9, 30, 15, 123, TimeSpan.Zero);
        }

        if (type == typeof(TimeSpan))
        {
            return TimeSpan.FromMilliseconds(1234);
        }

        if (type == typeof(JsonElement))
        {
            using var document = JsonDocument.Parse("{\"k\":[1,\"v\"]}");
            return document.RootElement.Clone();
        }

        if (type.IsEnum)
        {
            Array values = Enum.GetValues(type);
            return values.GetValue(values.Length - 1)!;
        }

        if (type.IsArray)
        {
            Array array = Array.CreateInstance(type.GetElementType()!, 1);
            array.SetValue(Create(type.GetElementType()!, depth + 1, name), 0);
            return array;
        }

        if (type.IsGenericType && type.GetGenericArguments() is { Length: 2 } pair && type.Name.Contains("Dictionary", StringComparison.Ordinal))
        {
            var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(pair))!;
            dictionary.Add(Create(pair[0], depth + 1, name + "Key"), Create(pair[1], depth + 1, name + "Value"));
            return dictionary;
        }

        if (type.IsGenericType && type.GetGenericArguments() is { Length: 1 } single && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(single))!;
            list.Add(Create(single[0], depth + 1, name));
            return list;
        }

        if (depth > 8)
        {
            throw new InvalidOperationException($"{type} nests too deep to populate.");
        }

        ConstructorInfo constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        object instance = constructor.Invoke([.. constructor.GetParameters().Select(p => Create(p.ParameterType, depth + 1, p.Name!))]);
        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0 && property.Name != "EqualityContract")
            {
                property.SetValue(instance, Create(property.PropertyType, depth + 1, property.Name));
            }
        }

        return instance;
    }
}
