namespace Narada.JobServer.Security;

/// <summary>What a connection asks to do, as the ACL sees it.</summary>
public enum AclAction
{
    /// <summary>CAN_DO / CAN_DO_TIMEOUT: serve a function.</summary>
    Register,

    /// <summary>SUBMIT_JOB and its variants: put work on a function.</summary>
    Submit,

    /// <summary>A text admin command (status, cancel job, maxqueue...).</summary>
    Admin,
}
