import Foundation

/// Reading and writing whole files with clear errors. Writes are atomic: the text goes to a
/// temporary file in the same directory, which is flushed and then renamed over the target, so a
/// failed write never leaves a half-written file behind.
public enum FileAccess {
    /// Reads a whole file of at most `limit` bytes.
    public static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw NNPlayError("cannot read \(path): \(reason(errno))") }
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
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
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

    /// Writes `bytes` to `path` atomically (temporary file, fsync, rename).
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw NNPlayError("cannot write \(path): it is a directory")
        }
        let dir = directoryPart(of: path)
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
                    if errno == EINTR { continue }
                    throw NNPlayError("cannot write \(path): \(reason(errno))")
                }
                offset += n
            }
            guard fsync(fd) == 0 else { throw NNPlayError("cannot write \(path): \(reason(errno))") }
            fchmod(fd, 0o644)
        }
        guard rename(tempPath, path) == 0 else { throw NNPlayError("cannot write \(path): \(reason(errno))") }
        ok = true
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
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw NNPlayError("cannot make the directory \(path): \(reason(errno == 0 ? EACCES : errno))")
        }
    }

    /// The system's words for an errno value, e.g. "no such file or directory".
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
