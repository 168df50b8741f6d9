#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// File operations for files that hold secrets or the database: the data directory is created
/// 0700, files are created 0600 from the start (never created wider and narrowed afterwards),
/// and a file found with group or other permission bits is narrowed to 0600.
enum PrivateFiles {
    /// The mode of files this module creates: read and write for the owner only.
    static let fileMode: mode_t = 0o600
    /// The mode of the data directory when this module creates it.
    static let directoryMode: mode_t = 0o700

    /// Creates `path` (and missing parents) with mode 0700 when it does not exist. An existing
    /// directory keeps its mode; an existing non-directory is an error.
    static func ensureDirectory(_ path: String) throws {
        var status = stat()
        if stat(path, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFDIR else {
                throw StorageError.fileSystem("use as data directory", path: path, reason: "it exists and is not a directory")
            }
            return
        }
        let parent = parentDirectory(of: path)
        if !parent.isEmpty, parent != path {
            try ensureDirectory(parent)
        }
        if mkdir(path, directoryMode) != 0 {
            let code = errno
            if code == EEXIST { return }  // created meanwhile by another process
            throw StorageError.fileSystem("create directory", path: path, errno: code)
        }
        // mkdir's mode is filtered by the umask; set it exactly.
        if chmod(path, directoryMode) != 0 {
            throw StorageError.fileSystem("set mode 0700 on", path: path, errno: errno)
        }
    }

    /// Creates an empty file at `path` with mode 0600 if none exists; narrows an existing file
    /// that is readable or writable by group or others to 0600.
    ///
    /// - Returns: `true` when an existing file's mode was narrowed (the caller may warn).
    @discardableResult
    static func ensurePrivateFile(_ path: String) throws -> Bool {
        // An existing file is inspected by path, never opened: closing a descriptor of a file
        // releases every POSIX lock this process holds on it, and SQLite's locks on the database,
        // its -wal and -shm files must survive a second storage opening the same files (the
        // gateway opens one for the admin API and one for the certificate manager). Losing them
        // lets another process believe it is alone, checkpoint and remove the WAL, and the
        // writes that follow go to a file nobody reads again.
        if let narrowed = try narrowPath(path) { return narrowed }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
        guard descriptor >= 0 else {
            let code = errno
            if code == EEXIST { return try narrowPath(path) ?? false }  // created meanwhile
            throw StorageError.fileSystem("create", path: path, errno: code)
        }
        defer { close(descriptor) }
        return try narrow(descriptor: descriptor, path: path)
    }

    /// Narrows an existing file to 0600 when it has group or other bits. Missing files are ignored.
    /// The file is not opened (see ``ensurePrivateFile(_:)``).
    @discardableResult
    static func narrowIfPresent(_ path: String) throws -> Bool {
        try narrowPath(path) ?? false
    }

    /// Narrows the file at `path` to 0600 when it has group or other bits, by path; `nil` when
    /// there is no file.
    private static func narrowPath(_ path: String) throws -> Bool? {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw StorageError.fileSystem("inspect", path: path, errno: code)
        }
        guard (status.st_mode & 0o077) != 0 else { return false }
        if chmod(path, fileMode) != 0 {
            throw StorageError.fileSystem("set mode 0600 on", path: path, errno: errno)
        }
        return true
    }

    /// Writes `bytes` to a new file at `path` with mode 0600, atomically and only if no file is
    /// there yet: the bytes go to a private temporary file that is then hard-linked into place,
    /// so a concurrent starter either wins or sees the complete file the other one wrote.
    ///
    /// - Returns: `false` when `path` already existed (nothing was written).
    static func createExclusively(_ path: String, bytes: [UInt8]) throws -> Bool {
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
        guard descriptor >= 0 else {
            throw StorageError.fileSystem("create", path: temporary, errno: errno)
        }
        defer { unlink(temporary) }
        do {
            defer { close(descriptor) }
            _ = try narrow(descriptor: descriptor, path: temporary)
            try writeAll(descriptor: descriptor, bytes: bytes, path: temporary)
            if fsync(descriptor) != 0 {
                throw StorageError.fileSystem("flush", path: temporary, errno: errno)
            }
        }
        if link(temporary, path) != 0 {
            let code = errno
            if code == EEXIST { return false }
            throw StorageError.fileSystem("create", path: path, errno: code)
        }
        return true
    }

    /// The whole content of the file at `path`, or `nil` when it does not exist.
    static func contents(of path: String) throws -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw StorageError.fileSystem("open", path: path, errno: code)
        }
        defer { close(descriptor) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw StorageError.fileSystem("read", path: path, errno: code)
            }
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<count])
        }
        return result
    }

    /// The permission bits of `path` (e.g. `0o600`), or `nil` when it does not exist.
    static func mode(of path: String) -> mode_t? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return status.st_mode & 0o7777
    }

    private static func narrow(descriptor: Int32, path: String) throws -> Bool {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw StorageError.fileSystem("inspect", path: path, errno: errno)
        }
        guard (status.st_mode & 0o077) != 0 else { return false }
        if fchmod(descriptor, fileMode) != 0 {
            throw StorageError.fileSystem("set mode 0600 on", path: path, errno: errno)
        }
        return true
    }

    private static func writeAll(descriptor: Int32, bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw StorageError.fileSystem("write", path: path, errno: code)
            }
            offset += written
        }
    }

    private static func parentDirectory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }
}
