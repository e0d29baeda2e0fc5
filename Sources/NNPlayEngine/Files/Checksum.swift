/// A short fingerprint of a file's bytes (64-bit FNV-1a, as 16 hex digits). Saved sessions record
/// it for every file they load, so that a replay can tell when a file has changed since: the same
/// commands on other bytes would not rebuild the same state.
public enum Checksum {
    public static func of(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            hash ^= UInt64(b)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
