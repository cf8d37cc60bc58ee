using System.Diagnostics.CodeAnalysis;

namespace Grpc.Core;

/// <summary>Names the static method that binds a generated service base class (set by the code generator).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class BindServiceMethodAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    public BindServiceMethodAttribute([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods)] Type bindType, string bindMethodName)
    {
        BindType = bindType;
        BindMethodName = bindMethodName;
    }

    /// <summary>The type that declares the bind method.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods)]
    public Type BindType { get; }

    /// <summary>The bind method's name.</summary>
    public string BindMethodName { get; }
}
