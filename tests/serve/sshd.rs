//! The organisation's own OpenSSH server: a dedicated user whose only
//! command is `briefing --follow`, through sshd's `ForceCommand`.
