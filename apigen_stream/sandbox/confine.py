"""The kernel's side of the sandbox: namespaces, private mounts, a dropped user, seccomp.

A worker calls these in order before any tool code is imported (``worker.main``):

1. ``enter_namespaces``: its own network namespace (no interfaces up) and, as root, its own mount
   and PID namespaces. A PID namespace takes effect for children only, so the worker forks once
   (``become_pid_one``): the child, PID 1 of the new namespace, goes on; the parent waits and
   ends as the child did, so the pool sees one process.
2. ``private_mounts``: a fresh ``/proc`` that shows this namespace's processes only, the hidden
   paths (``/etc/shadow``, the service's config and credential files) covered with empty ones,
   every mount read-only, and one private ``tmpfs`` scratch directory.
3. ``drop_privileges``: the unprivileged user and group, no supplementary groups, and
   ``no_new_privs``, so nothing the worker runs can gain privileges back.
4. ``syscall_filter`` (libseccomp through ``pyseccomp``): the system calls no tool needs are
   forbidden for the rest of the process's life and its children's. A template compiles its
   children's filter once (``compile_filter``); each fork loads the compiled program.

Each step says what it could enforce (``Layers``), so the pool reports what this OS gave it.
"""

from __future__ import annotations

import ctypes
import errno
import os
import signal
from collections.abc import Iterable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

CLONE_NEWNS = 0x00020000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
CLONE_THREAD = 0x00010000
PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2
# One BPF instruction (struct sock_filter): code, jt, jf, k.
BPF_INSTRUCTION_BYTES = 8
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND = 32, 1024, 2048, 4096
MS_MOVE, MS_REC, MS_PRIVATE, MS_RELATIME = 8192, 16384, 1 << 18, 1 << 21
# Per-mount options kept when a mount is made read-only (dropping them would loosen it).
MOUNT_FLAGS = {
    "nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
    "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME,
}  # fmt: skip

# System calls a tool never needs: running programs, sockets (the worker talks over pipes it
# already holds), debugging other processes, mounts, namespaces, kernel modules and keys.
FORBIDDEN_SYSCALLS = (
    "execve", "execveat", "socket", "socketpair", "ptrace", "process_vm_readv",
    "process_vm_writev", "mount", "umount2", "pivot_root", "chroot", "unshare", "setns",
    "fsopen", "fsmount", "fsconfig", "move_mount", "open_tree", "bpf", "perf_event_open",
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "keyctl",
    "add_key", "request_key", "userfaultfd", "open_by_handle_at", "reboot", "swapon",
    "swapoff", "acct", "quotactl",
)  # fmt: skip
# Answered "not implemented": io_uring can do I/O seccomp never sees; clone3 passes its flags in
# memory seccomp cannot read, and glibc falls back to clone, whose flags the filter checks.
UNIMPLEMENTED_SYSCALLS = ("io_uring_setup", "io_uring_enter", "io_uring_register", "clone3")
# Calls that may act on another process, and which argument names it (0: the caller itself).
OTHER_PROCESS_SYSCALLS = (("prlimit64", 0), ("setpriority", 1))
# New processes: forbidden for tool code; a thread (clone with CLONE_THREAD) stays allowed.
PROCESS_SYSCALLS = ("fork", "vfork")

Layers = dict[str, str]


def _libc() -> Any:
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {os.strerror(code)}")


def die_with_parent() -> bool:
    """Ask the kernel to kill this process when its parent dies."""
    return int(_libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)) == 0


def enter_namespaces(as_root: bool) -> set[str]:
    """Unshare network (and, as root, mount and PID) namespaces; the names of those entered."""
    libc = _libc()
    namespace = Path("/proc/self/ns/mnt")
    host_mounts = namespace.readlink()
    if as_root and libc.unshare(CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWPID) == 0:
        # Everything private_mounts does would otherwise land on the host: make sure.
        if namespace.readlink() == host_mounts:
            raise OSError("unshare reported a mount namespace that was not made")
        return {"network", "mounts", "pids"}
    # A user namespace only once unprivileged (``isolate_network``): in one without a uid map,
    # root would still be root on the host's files and could not drop to another user.
    if libc.unshare(CLONE_NEWNET) == 0:
        return {"network"}
    return set() if as_root else isolate_network()


def isolate_network() -> set[str]:
    """An unprivileged process's own network namespace, through a user namespace if allowed."""
    if os.geteuid() == 0:
        return set()
    libc = _libc()
    ok = any(libc.unshare(flags) == 0 for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET))
    return {"network"} if ok else set()


def become_pid_one() -> None:
    """Fork into the new PID namespace; the parent mirrors the child's end and never returns."""
    pid = os.fork()
    if pid == 0:
        die_with_parent()
        return
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
    os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 1)


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    def arg(text: str | None) -> bytes | None:
        return None if text is None else os.fsencode(text)

    result = _libc().mount(arg(source), arg(target), arg(fstype), flags, arg(data or None))
    _check(result, f"mount {target}")


def _unescape(field: str) -> str:
    # mountinfo writes spaces, tabs, newlines and backslashes in paths as octal escapes.
    for code in ("040", "011", "012", "134"):
        field = field.replace("\\" + code, chr(int(code, 8)))
    return field


def read_only_flags(options: str) -> int:
    """Flags to remount a mount read-only with its other per-mount options kept. Pure."""
    flags = MS_BIND | MS_REMOUNT | MS_RDONLY
    for option in options.split(","):
        flags |= MOUNT_FLAGS.get(option, 0)
    return flags


def mounts(mountinfo: str) -> Iterator[tuple[str, str]]:
    """(mount point, per-mount options) of each line of ``/proc/self/mountinfo``. Pure."""
    for line in mountinfo.splitlines():
        fields = line.split(" ")
        if len(fields) > 5:
            yield _unescape(fields[4]), fields[5]


def private_mounts(
    scratch: str, scratch_mb: int, owner: tuple[int, int], hidden: Iterable[str],
    needed: Iterable[str],
) -> list[str]:  # fmt: skip
    """Fresh /proc, hidden paths covered, ``needed`` reachable, all read-only but the scratch.

    Returns the paths that could not be hidden or made read-only.
    """
    _mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing below leaks to the host
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    failed: list[str] = []
    for path in hidden:
        try:
            _hide(path)
        except OSError:
            failed.append(path)
    uid, gid = owner
    needed = list(needed)
    # A virtualenv or a tool module can live under the scratch directory's path (a wheel tried
    # in a temporary directory): hold each such path open, and bind it back over the tmpfs.
    held = {p: os.open(p, os.O_PATH) for p in _inside(needed, scratch)}
    _mount("tmpfs", scratch, "tmpfs", MS_NOSUID | MS_NODEV, f"size={scratch_mb}m,mode=0755")
    for path, fd in held.items():
        Path(path).mkdir(mode=0o755, parents=True, exist_ok=True)
        _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
        os.close(fd)
    _reach(needed, Path(scratch) / ".stage")
    os.chown(scratch, uid, gid)
    Path(scratch).chmod(0o700)
    table = list(mounts(Path("/proc/self/mountinfo").read_text()))
    for point, options in table:
        if point == scratch:
            continue
        try:
            _mount(None, point, None, read_only_flags(options))
        except OSError:
            failed.append(point)
    return failed


def outermost(paths: Iterable[str]) -> list[str]:
    """The paths not inside another of them, sorted. Pure."""
    unique = sorted({os.path.normpath(p) for p in paths})
    kept: list[str] = []
    for path in unique:
        if not any(path.startswith(k.rstrip(os.sep) + os.sep) or path == k for k in kept):
            kept.append(path)
    return kept


def _inside(paths: Iterable[str], directory: str) -> list[str]:
    """The outermost existing directories of ``paths`` below ``directory`` that other users may
    enter (a closed one, such as the working directory of a test, is left out: its needed
    children are bound in on their own)."""
    top = os.path.normpath(directory) + os.sep
    # Strictly below first: the directory itself on the list (a working directory of /tmp on
    # sys.path) must not swallow, as "outermost", the paths inside it that need binding back.
    below = (os.path.normpath(q) for q in paths if Path(q).is_absolute())
    open_dirs = (q for q in below if q.startswith(top) and Path(q).is_dir()
                 and Path(q).stat().st_mode & 0o001)  # fmt: skip
    return outermost(open_dirs)


def _blocked_ancestor(path: str) -> str | None:
    """The topmost directory above ``path`` that other users cannot enter, if any."""
    for ancestor in reversed(Path(path).parents):
        if not ancestor.stat().st_mode & 0o001:
            return str(ancestor)
    return None


def _reach(needed: Iterable[str], stage: Path) -> None:
    """Make ``needed`` paths under closed directories (``/root/.pyenv``) reachable.

    Each closed directory is covered with an open, empty one holding only the needed paths,
    bound back in from a staging mount: the rest of it stays out of sight.
    """
    covers: dict[str, list[str]] = {}
    for path in outermost(p for p in needed if Path(p).is_absolute() and Path(p).exists()):
        ancestor = _blocked_ancestor(path)
        if ancestor is not None:
            covers.setdefault(ancestor, []).append(path)
    for index, (ancestor, paths) in enumerate(covers.items()):
        staged = []
        for number, path in enumerate(paths):
            spot = stage / f"{index}-{number}"
            spot.mkdir(parents=True)
            _mount(path, str(spot), None, MS_BIND | MS_REC)
            staged.append((spot, path))
        _mount("tmpfs", ancestor, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755")
        for spot, path in staged:
            Path(path).mkdir(mode=0o755, parents=True, exist_ok=True)
            _mount(str(spot), path, None, MS_MOVE)
            spot.rmdir()


def _hide(path: str) -> None:
    if Path(path).is_dir():
        _mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,mode=000")
    elif os.path.lexists(path):
        _mount("/dev/null", path, None, MS_BIND)


def drop_privileges(uid: int, gid: int) -> None:
    """Become ``uid``/``gid`` for good (real, effective and saved), with no extra groups."""
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    if os.getuid() != uid or os.geteuid() != uid:
        raise PermissionError(f"could not drop to uid {uid}")


def no_new_privs() -> None:
    """Nothing this process runs may gain privileges (setuid bits, file capabilities)."""
    _check(_libc().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def syscall_filter(processes: bool) -> Any:
    """The seccomp filter: forbidden calls kill the process; ``processes`` forbids forks too.

    The process is killed (SIGSYS) rather than told EPERM: a tool can swallow an error, but
    not its own death, which the worker that forked it reports as ``sandbox_violation``.
    """
    # Imported here: where libseccomp is missing, the worker still starts and reports it.
    import pyseccomp as seccomp  # type: ignore[import-untyped]  # noqa: PLC0415

    policy = seccomp.SyscallFilter(seccomp.ALLOW)
    for name in FORBIDDEN_SYSCALLS:
        _add(policy, seccomp.KILL_PROCESS, name)
    for name in UNIMPLEMENTED_SYSCALLS:
        _add(policy, seccomp.ERRNO(errno.ENOSYS), name)
    # Limits and priority of another process: a fork runs as the template's user, so without
    # this it could shrink the template's address space or CPU budget (or lower its priority)
    # and so change the outcome of every later call. Its own (pid 0, as glibc passes) stay.
    for name, pid_arg in OTHER_PROCESS_SYSCALLS:
        other = seccomp.Arg(pid_arg, seccomp.NE, 0)
        with suppress(OSError, RuntimeError, ValueError):
            policy.add_rule(seccomp.KILL_PROCESS, name, other)
    if processes:
        for name in PROCESS_SYSCALLS:
            _add(policy, seccomp.KILL_PROCESS, name)
        no_thread = seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0)
        policy.add_rule(seccomp.KILL_PROCESS, "clone", no_thread)
    return policy


def _add(policy: Any, action: int, name: str) -> None:
    # A call this architecture's kernel does not have cannot be made either.
    with suppress(OSError, RuntimeError, ValueError):
        policy.add_rule(action, name)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


class CompiledFilter:
    """A seccomp filter compiled to its BPF program once, loaded by each process that needs it.

    libseccomp compiles a filter on every ``load``; a template that forks for each batch loads
    the same program into every fork, so it compiles once and each fork only hands the program
    to the kernel (``prctl(PR_SET_SECCOMP)``, what ``seccomp_load`` ends with).
    """

    def __init__(self, program: bytes) -> None:
        if not program or len(program) % BPF_INSTRUCTION_BYTES:
            raise ValueError(f"not a BPF program: {len(program)} bytes")
        # Built here, in the template, so that a fork only makes one call.
        self._buffer = ctypes.create_string_buffer(program, len(program))
        length = len(program) // BPF_INSTRUCTION_BYTES
        self._program = _SockFprog(length, ctypes.addressof(self._buffer))
        self._prctl = _libc().prctl

    def load(self) -> None:
        """Install the filter in this process (``no_new_privs`` must be set already)."""
        result = self._prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(self._program), 0, 0)
        _check(int(result), "seccomp filter")


def compile_filter(policy: Any) -> CompiledFilter:
    """``policy`` (a libseccomp filter) as the BPF program its ``load`` would install."""
    read_fd, write_fd = os.pipe()  # a filter is a few hundred bytes: far below a pipe's buffer
    try:
        try:
            policy.export_bpf(_Descriptor(write_fd))
        finally:
            os.close(write_fd)
        program = read_to_end(read_fd)
    finally:
        os.close(read_fd)
    return CompiledFilter(program)


def read_to_end(fd: int) -> bytes:
    """Everything ``fd`` gives until its end, read without a file object (none left behind)."""
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


class _Descriptor:
    """What ``export_bpf`` writes to: a bare descriptor (no file object, no ``open``)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def fileno(self) -> int:
        return self._fd
