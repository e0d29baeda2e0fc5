import Foundation

/// Reading and writing whole files with clear errors. Writes are whole or not at all (see
/// `writeAtomically`); reads can be stopped between chunks.
public enum FileAccess {
    /// Reads a whole file of at most `limit` bytes. `shouldStop` is asked between chunks (and when a
    /// signal ends a wait, e.g. for a FIFO's writer): when it says so, the read ends with an error.
    public static func read(_ path: String, limit: Int, shouldStop: () -> Bool = { false }) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        // a FIFO blocks in open until a writer comes; a signal (Ctrl-C, SIGTERM) ends the wait
        guard fd >= 0 else { throw NNPlayError(errno == EINTR ? interrupted(path) : "cannot read \(path): \(reason(errno))") }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw NNPlayError("cannot read \(path): it is a directory") }
            if (info.st_mode & S_IFMT) == S_IFREG && Int(info.st_size) > limit {
                throw NNPlayError("cannot read \(path): it is \(Int(info.st_size)) bytes, more than the limit of \(limit / 1_048_576) MB (\(limit) bytes)")
            }
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            if shouldStop() { throw NNPlayError(interrupted(path)) }
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }   // asked shouldStop at the top of the loop
                throw NNPlayError("cannot read \(path): \(reason(errno))")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit {
                throw NNPlayError("cannot read \(path): it is more than the limit of \(limit / 1_048_576) MB")
            }
        }
        return bytes
    }

    /// The message of a read stopped by Ctrl-C or a signal.
    static func interrupted(_ path: String) -> String { "stopped reading \(path): interrupted; nothing was loaded" }

    /// Writes `text` to `path` atomically (temporary file, fsync, rename).
    public static func writeAtomically(_ text: String, to path: String) throws {
        try writeAtomically(Array(text.utf8), to: path)
    }

    /// A fault to inject into writes to one path (tests only): the errno that creating the temporary
    /// file reports (`afterBytes` nil), or that `write(2)` reports once `afterBytes` bytes are written.
    struct InjectedFault: Sendable {
        var path: String
        var errno: Int32
        var afterBytes: Int?
    }

    /// The fault injected into writes, if any (tests set it; nothing else does). It applies only to
    /// its own path, so tests running in parallel do not see it.
    nonisolated(unsafe) static var injectedFault: InjectedFault?

    /// Writes `bytes` to `path`, whole or not at all.
    ///
    /// - A regular file (or a new one) is written to a temporary file beside it, flushed, and renamed
    ///   over it: a failure leaves the old file. The new file keeps the old one's permission bits
    ///   (and owner, where allowed); a new file gets 0666 less the umask, as other tools' files do.
    /// - A symbolic link stays a link: the file it points to is the one replaced.
    /// - A device, FIFO or socket (`/dev/null`, `/dev/stdout`, a named pipe) is written in place:
    ///   replacing it would turn it into a regular file.
    /// A short or failed write is an error, and so is a full device.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        // what the path names, through its links (stat follows them, /proc's fd links included)
        var info = stat()
        let exists = stat(path, &info) == 0
        if exists && (info.st_mode & S_IFMT) == S_IFDIR { throw NNPlayError("cannot write \(path): it is a directory") }
        if exists && (info.st_mode & S_IFMT) != S_IFREG {
            try writeInPlace(bytes, to: path, named: path)
            return
        }
        // a regular file, or none yet: the temporary file goes beside the file the links lead to
        let target = try resolvingLinks(path)
        var isDirectory: ObjCBool = false
        let dir = directoryPart(of: target)
        if !FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) {
            throw NNPlayError("cannot write \(path): the directory \(dir) does not exist")
        }
        if !isDirectory.boolValue { throw NNPlayError("cannot write \(path): \(dir) is not a directory") }
        let fault = injectedFault.flatMap { $0.path == path ? $0 : nil }
        var template = Array((dir + "/.nnplay-tmp-XXXXXX").utf8CString)
        var fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        if let fault, fault.afterBytes == nil {
            if fd >= 0 { close(fd); template.withUnsafeBufferPointer { b in if let base = b.baseAddress { _ = unlink(base) } } }
            fd = -1
            errno = fault.errno
        }
        guard fd >= 0 else { throw NNPlayError("cannot write \(path): cannot create a file in \(dir): \(reason(errno))") }
        let tempPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = false
        defer {
            if !ok { unlink(tempPath) }
        }
        do {
            defer { close(fd) }
            try writeAll(bytes, to: fd, named: path, fault: fault)
            guard fsync(fd) == 0 else { throw NNPlayError("cannot write \(path): \(reason(errno))") }
            if exists {
                _ = fchown(fd, info.st_uid, info.st_gid)   // allowed for root, or a group of one's own; else kept as is
                fchmod(fd, info.st_mode & 0o7777)
            } else {
                fchmod(fd, 0o666 & ~currentUmask())
            }
        }
        guard rename(tempPath, target) == 0 else { throw NNPlayError("cannot write \(path): \(reason(errno))") }
        ok = true
    }

    /// `path` with its symbolic links followed (at most 40, as the kernel does), so that writing
    /// replaces the file a link points to, not the link; a dangling link names the file to create.
    static func resolvingLinks(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n > 0 else { throw NNPlayError("cannot write \(path): cannot read the link \(current): \(reason(errno))") }
            let destination = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = destination.hasPrefix("/") ? destination : directoryPart(of: current) + "/" + destination
        }
        throw NNPlayError("cannot write \(path): too many levels of symbolic links")
    }

    /// Writes into an existing special file (device, FIFO, socket) as it is.
    static func writeInPlace(_ bytes: [UInt8], to target: String, named path: String) throws {
        // a FIFO blocks here until a reader comes; a signal (Ctrl-C, SIGTERM) ends the wait
        let fd = open(target, O_WRONLY | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw NNPlayError(errno == EINTR ? "did not write \(path): interrupted while waiting for a reader" : "cannot write \(path): \(reason(errno))") }
        defer { close(fd) }
        try writeAll(bytes, to: fd, named: path, fault: injectedFault.flatMap { $0.path == path ? $0 : nil })
    }

    /// Writes every byte, or throws: an error, or a write that makes no progress, is a failure.
    static func writeAll(_ bytes: [UInt8], to fd: Int32, named path: String, fault: InjectedFault?) throws {
        var offset = 0
        while offset < bytes.count {
            var n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                var length = raw.count - offset
                if let limit = fault?.afterBytes { length = Swift.min(length, Swift.max(0, limit - offset)) }
                return length == 0 ? 0 : Foundation.write(fd, base + offset, length)
            }
            if let fault, let limit = fault.afterBytes, offset + n >= limit, offset + n < bytes.count || n == 0 {
                errno = fault.errno
                n = -1
            }
            if n < 0 {
                if errno == EINTR { continue }   // a signal during a write: finish it, the caller stops after
                throw NNPlayError("cannot write \(path): \(reason(errno))")
            }
            if n == 0 { throw NNPlayError("cannot write \(path): only \(offset) of \(bytes.count) bytes were written") }
            offset += n
        }
    }

    /// The process's file-creation mask (read by setting it and putting it back).
    static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }

    /// The directory a path names its file in: `a/b/c.csv` → `a/b`, `c.csv` → `.`, `/c` → `/`.
    public static func directoryPart(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    /// Makes a directory and its parents if they do not exist.
    public static func makeDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return }
            throw NNPlayError("cannot make the directory \(path): a file of that name exists")
        }
        // one new directory, as a file write makes one new file: a mistyped parent is an error,
        // not a tree made silently (`--pictures /nonexistent/x` made /nonexistent)
        let parent = directoryPart(of: path)
        var parentIsDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &parentIsDirectory) else {
            throw NNPlayError("cannot make the directory \(path): the directory \(parent) does not exist")
        }
        guard parentIsDirectory.boolValue else { throw NNPlayError("cannot make the directory \(path): \(parent) is not a directory") }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        } catch {
            throw NNPlayError("cannot make the directory \(path): \(reason(errno == 0 ? EACCES : errno))")
        }
    }

    /// The system's words for an errno value, e.g. "no such file or directory".
    public static func describe(_ code: Int32) -> String { reason(code) }

    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file or directory"
        case EACCES, EPERM: return "permission denied"
        case ENOSPC: return "no space left on the device"
        case EISDIR: return "it is a directory"
        case EROFS: return "the file system is read-only"
        case ENOTDIR: return "a part of the path is not a directory"
        case EDQUOT: return "the disk quota is exceeded"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}
