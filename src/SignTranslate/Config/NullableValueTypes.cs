using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.TypeInspectors;

namespace SignTranslate.Config;

/// <summary>
/// YamlDotNet 18's strict nullability check rejects null for <c>int?</c>-style properties (it reads the class's
/// non-null context and ignores <see cref="Nullable{T}"/>), so a saved config with an empty optional number could
/// not be read back. This inspector marks such properties as accepting null; reference types keep the strict check.
/// </summary>
internal sealed class NullableValueTypes(ITypeInspector inner) : ReflectionTypeInspector
{
    public override IEnumerable<IPropertyDescriptor> GetProperties(Type type, object? container) =>
        inner.GetProperties(type, container)
            .Select(p => Nullable.GetUnderlyingType(p.Type) is null ? p : new AcceptsNull(p));

    public override string GetEnumName(Type enumType, string name) => inner.GetEnumName(enumType, name);

    public override string GetEnumValue(object enumValue) => inner.GetEnumValue(enumValue);

    private sealed class AcceptsNull(IPropertyDescriptor p) : IPropertyDescriptor
    {
        public bool AllowNulls => true;
        public string Name => p.Name;
        public bool CanWrite => p.CanWrite;
        public Type Type => p.Type;
        public Type? TypeOverride { get => p.TypeOverride; set => p.TypeOverride = value; }
        public int Order { get => p.Order; set => p.Order = value; }
        public ScalarStyle ScalarStyle { get => p.ScalarStyle; set => p.ScalarStyle = value; }
        public bool Required => p.Required;
        public Type? ConverterType => p.ConverterType;
        public T? GetCustomAttribute<T>() where T : Attribute => p.GetCustomAttribute<T>();
        public IObjectDescriptor Read(object target) => p.Read(target);
        public void Write(object target, object? value) => p.Write(target, value);
    }
}
