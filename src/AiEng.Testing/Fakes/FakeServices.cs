namespace AiEng.Testing;

/// <summary>The <c>GetService</c> behaviour the test fakes share: a callback when set, else their metadata or themselves.</summary>
internal static class FakeServices
{
    public static object? Resolve<TMetadata>(object fake, TMetadata metadata, Func<Type, object?, object?>? callback, Type serviceType, object? serviceKey)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (callback is not null)
        {
            return callback(serviceType, serviceKey);
        }

        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(TMetadata) ? metadata : serviceType.IsInstanceOfType(fake) ? fake : null;
    }
}
