// Snapshot.swift — the store of a dataset folder as a binary file beside its
// statements.tsv (`statements.snapshot`), so that a large dataset starts with a
// read rather than a parse: the store's columns (already clustered), the order
// the statements were given in, its indexes and its text pool, each written as
// the bytes of its array and read back straight into a new array.
//
// The snapshot is a cache fql makes itself; statements.tsv stays the dataset.
// It records the size, modification time, inode and device of the
// statements.tsv it was made from, and a checksum of its contents; a snapshot
// that does not match the file beside it, or is damaged, is ignored (and
// replaced only when its first bytes say it is a snapshot: a file of that name
// that fql did not make is never read or overwritten). It is written aside
// under a name of its own and renamed into place, so a reader never sees half
// of one. Little-endian machines only (every machine Swift on Linux runs on);
// elsewhere there is no snapshot and the TSV is read.
//
// Layout: magic (8 bytes), version, byte-order mark, the TSV's identity, the
// row count, the checksum of what follows; then sections, each a count (Int64)
// and that many elements' bytes, padded to 8 bytes.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// When loading a dataset reads or writes its snapshot.
public enum SnapshotPolicy: Sendable, Equatable {
    /// Neither read nor write one: statements.tsv is parsed.
    case never
    /// Read a snapshot that matches statements.tsv; make one after parsing a statements.tsv of at least
    /// `minimumBytes` (small datasets parse in milliseconds and are left as they are).
    case automatic(minimumBytes: Int)

    /// The default: a snapshot for statements.tsv files from 16 MB (about 120,000 statements).
    public static let standard = SnapshotPolicy.automatic(minimumBytes: 16 << 20)
}

public enum Snapshot {
    public static let fileName = "statements.snapshot"
    static let magic: [UInt8] = Array("FQLSNAP\0".utf8)
    static let version: UInt32 = 5
    static let byteOrderMark: UInt32 = 0x0102_0304

    /// The identity of a file as stat(2) gives it: a snapshot is valid only for the file it was made from.
    struct Identity: Equatable {
        var size: Int64, seconds: Int64, nanoseconds: Int64, inode: UInt64, device: UInt64

        init?(path: String) {
            var st = stat()
            guard stat(path, &st) == 0 else { return nil }
            size = Int64(st.st_size)
            #if canImport(Darwin)
            seconds = Int64(st.st_mtimespec.tv_sec); nanoseconds = Int64(st.st_mtimespec.tv_nsec)
            #else
            seconds = Int64(st.st_mtim.tv_sec); nanoseconds = Int64(st.st_mtim.tv_nsec)
            #endif
            inode = UInt64(st.st_ino); device = UInt64(st.st_dev)
        }

        init(words: [UInt64]) {
            size = Int64(bitPattern: words[0]); seconds = Int64(bitPattern: words[1])
            nanoseconds = Int64(bitPattern: words[2]); inode = words[3]; device = words[4]
        }

        var words: [UInt64] {
            [UInt64(bitPattern: size), UInt64(bitPattern: seconds), UInt64(bitPattern: nanoseconds), inode, device]
        }
    }

    static var littleEndian: Bool { 1.littleEndian == 1 }

    /// Whether the file at `path` begins as a snapshot does (so fql made it and may replace it).
    public static func isSnapshot(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: magic.count)
        return Glibc_read(fd, &head, head.count) == head.count && head == magic
    }

    /// Whether `name` in a dataset folder is a snapshot being written (or left by a writer that stopped)
    /// whose file at `path` is empty or begins as a snapshot does.
    public static func isPartial(name: String, path: String) -> Bool {
        guard name.hasPrefix("." + fileName + "."), name.hasSuffix(".partial") else { return false }
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && (st.st_size == 0 || isSnapshot(path))
    }

    // MARK: reading

    /// The store saved in `folder`'s snapshot, if there is one that matches its statements.tsv and is whole;
    /// nil otherwise (the caller then parses statements.tsv).
    public static func read(folder: String) -> Store? {
        guard littleEndian, let tsv = Identity(path: folder + "/" + Dataset.statementsFile) else { return nil }
        let fd = open(folder + "/" + fileName, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var reader = SectionReader(fd: fd)
        return reader.store(expecting: tsv)
    }

    private struct SectionReader {
        let fd: Int32
        var checksum = Checksum()
        var failed = false

        init(fd: Int32) { self.fd = fd }

        /// Reads exactly `count` bytes into `p`; false at the end of the file or on an error.
        func fill(_ p: UnsafeMutableRawPointer, _ count: Int) -> Bool {
            var done = 0
            while done < count {
                let n = Glibc_read(fd, p + done, count - done)
                if n <= 0 { return false }
                done += n
            }
            return true
        }

        mutating func words(_ n: Int) -> [UInt64]? {
            var w = [UInt64](repeating: 0, count: n)
            guard w.withUnsafeMutableBytes({ fill($0.baseAddress!, $0.count) }) else { return nil }
            return w
        }

        /// The next section as an array of `T` (at most `limit` elements), its bytes added to the checksum.
        mutating func array<T: FixedWidthInteger>(_: T.Type, limit: Int) -> [T]? {
            guard !failed, let head = words(1), let count = Int(exactly: head[0]), count <= limit else {
                failed = true
                return nil
            }
            checksum.add(head[0])
            let bytes = count * MemoryLayout<T>.stride
            let padded = (bytes + 7) & ~7
            var out = [T](unsafeUninitializedCapacity: padded / MemoryLayout<T>.stride) { buf, initialized in
                let raw = UnsafeMutableRawBufferPointer(buf)
                adviseHugePages(raw)
                if padded > 0 && !fill(raw.baseAddress!, padded) { initialized = 0; return }
                initialized = padded / MemoryLayout<T>.stride
            }
            guard out.count * MemoryLayout<T>.stride == padded else { failed = true; return nil }
            out.withUnsafeBytes { checksum.add(UnsafeRawBufferPointer(rebasing: $0[0..<bytes])) }
            out.removeLast(out.count - count)   // the padding; in place, no copy
            return out
        }

        mutating func store(expecting tsv: Identity) -> Store? {
            // magic, version and byte-order mark (2 words), the TSV's identity (5), rows, checksum
            guard let head = words(9) else { return nil }
            let magicWord = magic.withUnsafeBytes { $0.load(as: UInt64.self) }
            guard head[0] == magicWord, head[1] == UInt64(version) | UInt64(byteOrderMark) << 32,
                  Identity(words: Array(head[2..<7])) == tsv, let n = Int(exactly: head[7]), n < Int(Int32.max) else { return nil }
            let expectedSum = head[8]

            // The text pool: lengths, then the bytes of every text one after another.
            guard let lengths = array(UInt32.self, limit: n * 16 + 1_000_000),
                  let textBytes = array(UInt8.self, limit: Int(Int32.max)) else { return nil }
            var pool = StringPool()
            var at = 0
            for (k, len) in lengths.enumerated() {
                let end = at + Int(len)
                guard end <= textBytes.count else { return nil }
                let s = String(decoding: textBytes[at..<end], as: UTF8.self)
                at = end
                if k == 0 { continue }   // id 0, none
                guard pool.intern(s) == UInt32(k) else { return nil }
            }
            guard at == textBytes.count else { return nil }

            var c = Columns()
            c.pool = pool
            guard let unit = runs(UInt32.self, n: n), let region = runs(UInt32.self, n: n),
                  let year = runs(Int16.self, n: n), let phase = runs(UInt8.self, n: n),
                  let measure = runs(UInt8.self, n: n), let function = array(UInt32.self, limit: n),
                  let econDept = array(UInt32.self, limit: n), let econGov = runs(UInt32.self, n: n),
                  let nature = runs(UInt8.self, n: n), let fund = runs(UInt8.self, n: n),
                  let cost = runs(UInt8.self, n: n), let project = runs(UInt32.self, n: n),
                  let category = runs(UInt32.self, n: n), let amount = array(Int64.self, limit: n),
                  let doc = runs(UInt32.self, n: n), let table = runs(UInt32.self, n: n),
                  let line = runs(Int32.self, n: n), let level = runs(UInt8.self, n: n),
                  let derived = runs(UInt32.self, n: n), let printed = runs(UInt8.self, n: n),
                  !unit.stepped, line.stepped else { return nil }
            (c.unit, c.region, c.year, c.phase, c.measure) = (unit, region, year, phase, measure)
            (c.function, c.econDept, c.econGov, c.nature, c.fund) = (function, econDept, econGov, nature, fund)
            (c.cost, c.project, c.category, c.amount, c.doc) = (cost, project, category, amount, doc)
            (c.table, c.line, c.level, c.derived, c.printed) = (table, line, level, derived, printed)
            guard let reordered = array(UInt8.self, limit: 1), reordered.count == 1, reordered[0] <= 1 else { return nil }
            var given: RunArray<Int32>? = nil
            if reordered[0] == 1 {
                guard let g = runs(Int32.self, n: n), g.stepped else { return nil }
                given = g
            }

            var indexes = Indexes()
            guard let units = postings(UInt32.self, n: n), let years = postings(Int16.self, n: n),
                  let phases = postings(UInt8.self, n: n), let measures = postings(UInt8.self, n: n),
                  let codes = array(UInt32.self, limit: n), let offsets = array(Int64.self, limit: n + 1),
                  let gaps = array(UInt8.self, limit: 10 * n)
            else { return nil }
            (indexes.byUnit, indexes.byYear, indexes.byPhase, indexes.byMeasure) = (units, years, phases, measures)
            (indexes.byFunction.codes, indexes.byFunction.offsets, indexes.byFunction.gaps) = (codes, offsets, gaps)
            guard indexes.byFunction.isWellFormed else { return nil }

            // Whole and unchanged, and nothing past the end.
            var extra: UInt8 = 0
            guard checksum.value == expectedSum, Glibc_read(fd, &extra, 1) == 0 else { return nil }
            var counts: [Int] = [c.unit.count, c.region.count, c.year.count, c.phase.count, c.measure.count]
            counts += [c.function.count, c.econDept.count, c.econGov.count, c.nature.count, c.fund.count]
            counts += [c.cost.count, c.project.count, c.category.count, c.amount.count, c.doc.count]
            counts += [c.table.count, c.line.count, c.level.count, c.derived.count, c.printed.count]
            guard counts.allSatisfy({ $0 == n }) else { return nil }
            let store = Store(unchecked: c, indexes: indexes, given: given)
            #if DEBUG
            guard store.checkInvariants().isEmpty else { return nil }
            #endif
            return store
        }

        /// A column of `n` rows kept dense or as runs: its form (dense, stepped), then its values and its runs' starts.
        mutating func runs<T: FixedWidthInteger & Sendable>(_: T.Type, n: Int) -> RunArray<T>? {
            guard let form = array(UInt8.self, limit: 2), form.count == 2, form.allSatisfy({ $0 <= 1 }),
                  let values = array(T.self, limit: n), let starts = array(Int32.self, limit: n) else { return nil }
            return RunArray(values: values, starts: starts, isDense: form[0] == 1, stepped: form[1] == 1, count: n)
        }

        /// An index: its values, then for each the length of its list, then the lists one after another.
        mutating func postings<T: FixedWidthInteger & Hashable>(_: T.Type, n: Int) -> [T: RowRanges]? {
            guard let values = array(T.self, limit: n), let lengths = array(Int64.self, limit: n),
                  let bounds = array(Int32.self, limit: 2 * n), values.count == lengths.count else { return nil }
            var out: [T: RowRanges] = [:]
            var at = 0
            for (v, len) in zip(values, lengths) {
                guard len >= 0, at + Int(len) <= bounds.count else { return nil }
                let stretches = RowRanges(bounds: Array(bounds[at..<at + Int(len)]))
                guard stretches.isValid(below: n) else { return nil }
                out[v] = stretches
                at += Int(len)
            }
            return at == bounds.count ? out : nil
        }
    }

    // MARK: writing

    /// Writes the snapshot of `store` into `folder`, for the statements.tsv there now. Does nothing when a
    /// file of the snapshot's name is there and is no snapshot, or when the folder cannot be written.
    /// Returns whether a snapshot was written.
    @discardableResult
    public static func write(_ store: Store, folder: String) -> Bool {
        let path = folder + "/" + fileName
        guard littleEndian, let tsv = Identity(path: folder + "/" + Dataset.statementsFile) else { return false }
        if access(path, F_OK) == 0 && !isSnapshot(path) { return false }
        let aside = folder + "/.\(fileName).\(getpid()).partial"   // see isPartial
        let fd = open(aside, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { return false }
        var ok = true
        var sections = SectionWriter()
        sections.store(store)
        // The header, with the checksum of the sections; then the sections.
        let magicWord = magic.withUnsafeBytes { $0.load(as: UInt64.self) }
        let head: [UInt64] = [magicWord, UInt64(version) | UInt64(byteOrderMark) << 32] + tsv.words
            + [UInt64(store.count), sections.checksum.value]
        ok = head.withUnsafeBytes { writeAll(fd, $0) }
        for part in sections.parts where ok { ok = part(fd) }
        close(fd)
        // The TSV may have changed while the snapshot was made; then the snapshot is not kept.
        if ok, Identity(path: folder + "/" + Dataset.statementsFile) == tsv, rename(aside, path) == 0 { return true }
        unlink(aside)
        return false
    }

    private struct SectionWriter {
        var checksum = Checksum()
        /// Each section's writing, holding its array (no copy).
        var parts: [(Int32) -> Bool] = []

        mutating func add<T: FixedWidthInteger>(_ a: [T]) {
            let count = UInt64(a.count)
            checksum.add(count)
            let bytes = a.count * MemoryLayout<T>.stride
            let pad = [UInt8](repeating: 0, count: ((bytes + 7) & ~7) - bytes)
            a.withUnsafeBytes { checksum.add($0) }
            parts.append { fd in
                var head = count
                return withUnsafeBytes(of: &head) { writeAll(fd, $0) }
                    && a.withUnsafeBytes { writeAll(fd, $0) } && pad.withUnsafeBytes { writeAll(fd, $0) }
            }
        }

        mutating func add<T: FixedWidthInteger>(_ a: RunArray<T>) {
            add([UInt8(a.isDense ? 1 : 0), UInt8(a.stepped ? 1 : 0)])
            add(a.values)
            add(a.starts)
        }

        mutating func postings<T: FixedWidthInteger & Hashable>(_ index: [T: RowRanges]) {
            let values = index.keys.sorted()
            add(values)
            add(values.map { Int64(index[$0]!.bounds.count) })
            add(values.flatMap { index[$0]!.bounds })
        }

        mutating func store(_ s: Store) {
            let c = s.columns
            add(c.pool.strings.map { UInt32($0.utf8.count) })
            add(c.pool.strings.flatMap { Array($0.utf8) })
            add(c.unit); add(c.region); add(c.year); add(c.phase); add(c.measure); add(c.function)
            add(c.econDept); add(c.econGov); add(c.nature); add(c.fund); add(c.cost); add(c.project)
            add(c.category); add(c.amount); add(c.doc); add(c.table); add(c.line); add(c.level); add(c.derived)
            add(c.printed)
            add([UInt8(s.given == nil ? 0 : 1)])
            if let given = s.given { add(given) }
            postings(s.indexes.byUnit); postings(s.indexes.byYear); postings(s.indexes.byPhase)
            postings(s.indexes.byMeasure)
            add(s.indexes.byFunction.codes); add(s.indexes.byFunction.offsets); add(s.indexes.byFunction.gaps)
        }
    }
}

/// write(2) until every byte of `b` is written; false on an error.
private func writeAll(_ fd: Int32, _ b: UnsafeRawBufferPointer) -> Bool {
    var done = 0
    while done < b.count {
        let n = Glibc_write(fd, b.baseAddress! + done, b.count - done)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return false }
        done += n
    }
    return true
}

private func Glibc_write(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }
private func Glibc_read(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int { read(fd, p, n) }

/// A 64-bit checksum of a snapshot's bytes: each 8-byte word mixed in by a multiply and a rotation, in
/// four independent lanes (so the multiplies overlap) folded together at the end of each section.
/// Catches a truncated, damaged or mixed-up file, not a forged one.
struct Checksum {
    private(set) var value: UInt64 = 0x9E37_79B9_7F4A_7C15
    static let prime: UInt64 = 0xFF51_AFD7_ED55_8CCD

    @inline(__always)
    static func mix(_ v: UInt64, _ w: UInt64) -> UInt64 {
        let m = (v ^ w) &* prime
        return m << 29 | m >> 35
    }

    mutating func add(_ w: UInt64) { value = Checksum.mix(value, w) }

    /// Adds the bytes of `b`: its whole words four lanes at a time, the words left one by one, then the
    /// bytes past the last whole word as one word padded with zeros.
    mutating func add(_ b: UnsafeRawBufferPointer) {
        let whole = b.count / 8
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (value, ~value, value &* 3, value &* 5)
        var k = 0
        while k + 4 <= whole {
            lanes.0 = Checksum.mix(lanes.0, b.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self))
            lanes.1 = Checksum.mix(lanes.1, b.loadUnaligned(fromByteOffset: k * 8 + 8, as: UInt64.self))
            lanes.2 = Checksum.mix(lanes.2, b.loadUnaligned(fromByteOffset: k * 8 + 16, as: UInt64.self))
            lanes.3 = Checksum.mix(lanes.3, b.loadUnaligned(fromByteOffset: k * 8 + 24, as: UInt64.self))
            k += 4
        }
        while k < whole {
            lanes.0 = Checksum.mix(lanes.0, b.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self))
            k += 1
        }
        value = Checksum.mix(Checksum.mix(Checksum.mix(lanes.0, lanes.1), lanes.2), lanes.3)
        let rest = b.count - whole * 8
        if rest > 0 {
            var last: UInt64 = 0
            for j in 0..<rest { last |= UInt64(b[whole * 8 + j]) << (8 * j) }
            add(last)
        }
    }
}
