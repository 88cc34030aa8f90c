using System.Runtime.Versioning;

// The peers (gpg, sq, Go, nginx) and the process handling (SIGTERM/SIGKILL, Unix modes) are Linux-only.
[assembly: SupportedOSPlatform("linux")]
