namespace Narada.JobServer.Security;

/// <summary>An ACL file that cannot be used, with the file, line and column at fault.</summary>
public sealed class AclPolicyException(string message, Exception? inner = null) : Exception(message, inner);
