// StatementFile+Fast.swift — statements.tsv read straight from its bytes into
// the store's columns: no String per field, text interned by its bytes (a
// String is made only the first time a value is seen), codes, enums, years,
// lines and amounts parsed from their digits. It handles the files the writer
// makes; anything else — an escape, a carriage return, a field it cannot read
// — returns nil, and the checked reader (StatementFile.read) reads the file
// again and names the line and column of the problem (bytes that are not
// UTF-8 included: texts are validated when first interned). So errors are exactly
// those of the checked reader, and a good file loads several times faster.

import Foundation

extension StatementFile {
    /// The store of `text`, or nil when the checked reader must read it.
    /// `splitFrom`: the size from which a file is read on two threads (FastStatementReader.columns).
    static func readFast(_ text: String, splitFrom: Int = FastStatementReader.splitFrom) -> Store? {
        var text = text
        return text.withUTF8 { bytes -> Store? in
            FastStatementReader.columns(of: bytes, progress: nil, splitFrom: splitFrom).map { Store(columns: $0) }
        }
    }

    /// The same from the file's bytes: every byte is either in a field read as ASCII (numbers, codes,
    /// enums, tabs, newlines) or in a text validated as UTF-8 when first interned; nil as above, and for
    /// bytes that are not UTF-8 (the text reader then says where).
    static func readFast(bytes data: Data, progress: ((Int, Int) -> Void)? = nil) -> Store? {
        data.withUnsafeBytes { raw -> Store? in
            FastStatementReader.columns(of: raw.bindMemory(to: UInt8.self), progress: progress).map { Store(columns: $0) }
        }
    }
}

/// The fast reader's state: the bytes, the columns made so far and the interning tables.
struct FastStatementReader {
    let bytes: UnsafeBufferPointer<UInt8>
    /// The same bytes, for reading a field: a call on the reader itself, large for its columns, would copy it.
    let field: FieldBytes
    var columns = Columns()
    /// The texts met so far, found by a hash of their bytes: an open-addressing table of indexes into
    /// `textAt` (-1: empty) beside each one's hash; a text is kept as where it first was in the bytes.
    var slots = [Int32](repeating: -1, count: 1024)
    var slotHash = [UInt64](repeating: 0, count: 1024)
    var textAt: [(start: Int, count: Int, id: UInt32)] = []
    /// Told the bytes read so far and in all, every 4 MiB.
    var progress: ((Int, Int) -> Void)?
    /// Per field, where its text was in the row before and the id it had.
    var previous = [(Range<Int>, UInt32)](repeating: (0..<0, .max), count: StatementFile.header.count)
    /// Packed codes by scheme and digits: the place of each in `packedCodes`.
    var codes = SlotTable<UInt64>(capacity: 1024)
    var packedCodes: [UInt32] = []
    /// Per enum field, the values met (where each first was, and its code), `enumSlots` places a field.
    var enumSeen = [(Range<Int>, UInt8)](repeating: (0..<0, 0), count: StatementFile.header.count * FastStatementReader.enumSlots)
    var enumCount = [Int](repeating: 0, count: StatementFile.header.count)

    init(bytes: UnsafeBufferPointer<UInt8>) { (self.bytes, field) = (bytes, FieldBytes(bytes: bytes)) }

    /// The number of fields a line has (the header's).
    var fieldCount = 0
    /// Files from 16 MiB of lines (about 120,000 statements) are read on two threads.
    static let splitFrom = 1 << 24

    /// The columns of the lines of `bytes`. A large file is read on two threads, each half of its lines, and
    /// the second half's texts then interned after the first's: the ids, and so the columns, are the ones one
    /// reader gives.
    static func columns(of bytes: UnsafeBufferPointer<UInt8>, progress: ((Int, Int) -> Void)?,
                        splitFrom: Int = splitFrom) -> Columns? {
        var first = FastStatementReader(bytes: bytes)
        guard let start = first.header() else { return nil }
        var cut = start + (bytes.count - start) / 2
        while cut < bytes.count && bytes[cut - 1] != 0x0A { cut += 1 }
        guard bytes.count - start >= splitFrom, hasTwoCores, cut < bytes.count else {
            first.progress = progress
            guard first.lines(start..<bytes.count) else { return nil }
            progress?(bytes.count, bytes.count)
            return first.columns
        }
        // The first half tells the progress, as if it were the whole.
        first.progress = progress.map { tell in { done, total in tell(min(total, start + (done - start) * 2), total) } }
        let readers = UnsafeMutableBufferPointer<FastStatementReader>.allocate(capacity: 2)
        readers.initialize(repeating: first)
        readers[1].progress = nil
        let ok = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 2)
        ok.initialize(repeating: false)
        defer { _ = readers.deinitialize(); readers.deallocate(); ok.deallocate() }
        // Each thread writes only its own reader and flag.
        inTwoParts { k in ok[k] = readers[k].lines(k == 0 ? start..<cut : cut..<bytes.count) }
        guard ok[0], ok[1] else { return nil }
        var a = readers[0].columns
        let b = readers[1].columns
        readers[0].columns = Columns()
        readers[1].columns = Columns()
        a.append(contentsOf: b)
        progress?(bytes.count, bytes.count)
        return a
    }

    /// Reads the header, exactly (today's, or the one before `printed`): where the first line after it
    /// starts, or nil.
    mutating func header() -> Int? {
        var end = 0
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        guard end > 0 else { return nil }
        let header = [StatementFile.header, StatementFile.headerWithoutPrinted].first {
            $0.joined(separator: "\t").utf8.elementsEqual(UnsafeBufferPointer(rebasing: bytes[0..<end]))
        }
        guard let header else { return nil }
        fieldCount = header.count
        return end + 1
    }

    /// Reads the lines in `range` (whole lines) into the columns; false where the checked reader must read.
    /// The bytes are looked at eight at a time: a word's tabs and newlines found at once, bit tricks on a
    /// 64-bit integer, and a backslash (an escape) or carriage return anywhere sends the file to the checked
    /// reader, as an empty line or a line of another number of fields does.
    mutating func lines(_ range: Range<Int>) -> Bool {
        columns.reserve(expectedLines(range))
        // Where each field of the line lies: written twenty times a line, so a buffer of its own (an array
        // would be asked whether it is shared at every write).
        let fields = UnsafeMutableBufferPointer<Range<Int>>.allocate(capacity: fieldCount)
        fields.initialize(repeating: 0..<0)
        defer { fields.deallocate() }
        var n = 0, start = range.lowerBound, lineStart = range.lowerBound
        // A tab or a newline at `p`: the field ends; at a newline, the line.
        func separator(_ p: Int) -> Bool? {
            if bytes[p] == 0x09 {
                guard n < fieldCount - 1 else { return false }
                fields[n] = start..<p
                n += 1
                start = p + 1
                return nil
            }
            guard p > lineStart, n == fieldCount - 1 else { return false }
            fields[n] = start..<p
            guard appendRecord(fields) else { return false }
            if let progress, lineStart >> 22 != (p + 1) >> 22 { progress(p + 1, bytes.count) }
            (n, start, lineStart) = (0, p + 1, p + 1)
            return p + 1 >= range.upperBound ? true : nil
        }
        var i = range.lowerBound
        let whole = bytes.count - 8
        let base = UnsafeRawPointer(bytes.baseAddress)
        while i < range.upperBound {
            var mask: UInt64
            if i <= whole, let base {
                let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if zeroBytes(w ^ 0x5C5C_5C5C_5C5C_5C5C) | zeroBytes(w ^ 0x0D0D_0D0D_0D0D_0D0D) != 0 { return false }
                mask = zeroBytes(w ^ 0x0909_0909_0909_0909) | zeroBytes(w ^ 0x0A0A_0A0A_0A0A_0A0A)
            } else {
                // The last bytes of the file, one at a time.
                mask = 0
                for k in 0..<min(8, bytes.count - i) {
                    let b = bytes[i + k]
                    if b == 0x5C || b == 0x0D { return false }
                    if b == 0x09 || b == 0x0A { mask |= 0x80 << (8 * UInt64(k)) }
                }
            }
            while mask != 0 {
                let p = i + mask.trailingZeroBitCount >> 3
                mask &= mask &- 1
                if let done = separator(p) { return done }
            }
            i += 8
        }
        // A last line with no newline after it (the file's end).
        guard lineStart < range.upperBound else { return true }
        guard n == fieldCount - 1 else { return false }
        fields[n] = start..<range.upperBound
        return appendRecord(fields)
    }

    /// About how many lines `range` holds, from the lines of its first megabyte (a little over, so that the
    /// columns take their room once rather than grow by copying as they fill).
    private func expectedLines(_ range: Range<Int>) -> Int {
        let sample = range.lowerBound..<min(range.upperBound, range.lowerBound + 1 << 20)
        var newlines = 0
        for p in sample where bytes[p] == 0x0A { newlines += 1 }
        guard newlines > 0 else { return range.count / 120 }
        let lines = range.count / max(1, sample.count / newlines)
        return lines + lines / 32 + 16
    }

    /// 0x80 in each byte of `x` that is zero, 0 in every other: exact (no borrow from one byte to the next).
    @inline(__always)
    private func zeroBytes(_ x: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((x & low7) &+ low7) | x | low7)
    }

    private mutating func appendRecord(_ f: UnsafeMutableBufferPointer<Range<Int>>) -> Bool {
        guard !f[0].isEmpty, !f[14].isEmpty,
              let year = field.integer(f[2]), (1900...2100).contains(year),
              let phase = byteCode(f[3], Phase.self, field: 3), phase != 0,
              let measure = byteCode(f[4], Measure.self, field: 4), measure != 0,
              let function = code(f[5], .function), let econDept = code(f[6], .econDept), let econGov = code(f[7], .econGov),
              let nature = byteCode(f[8], Nature.self, field: 8), let fund = byteCode(f[9], Fund.self, field: 9), let cost = byteCode(f[10], Cost.self, field: 10),
              let amount = field.amount(f[13]),
              let line = field.integer(f[16]), line >= 1, line <= Int(Int32.max),
              let level = byteCode(f[17], RowLevel.self, field: 17), level != 0,
              let unit = intern(f[0], emptyIsNone: false, field: 0), let region = intern(f[1], emptyIsNone: false, field: 1),
              let project = intern(f[11], emptyIsNone: true, field: 11), let category = intern(f[12], emptyIsNone: true, field: 12),
              let doc = intern(f[14], emptyIsNone: false, field: 14), let table = intern(f[15], emptyIsNone: false, field: 15),
              let derived = intern(f[18], emptyIsNone: true, field: 18),
              let printed = f.count > 19 ? field.printedByte(f[19]) : 0 else { return false }
        columns.unit.append(unit)
        columns.region.append(region)
        columns.year.append(Int16(year))
        columns.phase.append(phase)
        columns.measure.append(measure)
        columns.function.append(function)
        columns.econDept.append(econDept)
        columns.econGov.append(econGov)
        columns.nature.append(nature)
        columns.fund.append(fund)
        columns.cost.append(cost)
        columns.project.append(project)
        columns.category.append(category)
        columns.amount.append(amount)
        columns.doc.append(doc)
        columns.table.append(table)
        columns.line.append(Int32(line))
        columns.level.append(level)
        columns.derived.append(derived)
        columns.printed.append(printed)
        return true
    }

    /// The pool id of the text in `r` (0 for an empty optional field), as `StringPool.intern` gives it.
    /// Neighbouring rows mostly repeat a field (one unit, document, table): the bytes of the field in the
    /// row before are compared first, and only new text is hashed.
    /// Nil for bytes that are not UTF-8.
    private mutating func intern(_ r: Range<Int>, emptyIsNone: Bool, field: Int) -> UInt32? {
        if r.isEmpty && emptyIsNone { return 0 }
        let (before, beforeID) = previous[field]
        if beforeID != .max, before.count == r.count, self.field.sameBytes(before.lowerBound, r.lowerBound, r.count) { return beforeID }
        guard let id = lookUp(r) else { return nil }
        previous[field] = (r, id)
        return id
    }

    /// The pool id of the text at `r`, interned when it is new.
    private mutating func lookUp(_ r: Range<Int>) -> UInt32? {
        let slice = UnsafeBufferPointer(rebasing: bytes[r])
        let h = FastStatementReader.hash(slice)
        let mask = slots.count - 1
        var at = Int(truncatingIfNeeded: h) & mask
        while slots[at] >= 0 {
            if slotHash[at] == h {
                let t = textAt[Int(slots[at])]
                if t.count == r.count && field.sameBytes(t.start, r.lowerBound, r.count) { return t.id }
            }
            at = (at + 1) & mask
        }
        guard let text = String(validating: slice, as: UTF8.self) else { return nil }
        let id = columns.pool.intern(text)
        slots[at] = Int32(textAt.count)
        slotHash[at] = h
        textAt.append((r.lowerBound, r.count, id))
        if textAt.count * 2 > slots.count { growTexts() }
        return id
    }

    /// Twice the slots, every text placed again.
    private mutating func growTexts() {
        let size = slots.count * 2
        var (newSlots, newHash) = ([Int32](repeating: -1, count: size), [UInt64](repeating: 0, count: size))
        for k in slots.indices where slots[k] >= 0 {
            var at = Int(truncatingIfNeeded: slotHash[k]) & (size - 1)
            while newSlots[at] >= 0 { at = (at + 1) & (size - 1) }
            (newSlots[at], newHash[at]) = (slots[k], slotHash[k])
        }
        (slots, slotHash) = (newSlots, newHash)
    }

    /// A hash of `b`: eight bytes at a time, each mixed in by a multiply and a shift (no SipHash per field).
    @inline(__always)
    static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(b.count)
        let raw = UnsafeRawBufferPointer(b)
        var i = 0
        while i + 8 <= b.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            i += 8
        }
        if i < b.count {
            var w: UInt64 = 0
            for k in i..<b.count { w |= UInt64(b[k]) << (8 * UInt64(k - i)) }
            h = (h ^ w) &* 0xC4CE_B9FE_1A85_EC53
        }
        return h ^ (h >> 32)
    }

    /// An enum field as the store codes it (0 for empty), or nil for a value the enum has not. The values
    /// met in `field` are remembered as where they first were in the file: a few, met on every line.
    private mutating func byteCode<E: ByteCoded & RawRepresentable>(_ r: Range<Int>, _: E.Type, field: Int) -> UInt8?
    where E.RawValue == String {
        if r.isEmpty { return 0 }
        let seen = field * Self.enumSlots
        for k in seen..<seen + enumCount[field] {
            let (at, code) = enumSeen[k]
            if at.count == r.count && self.field.sameBytes(at.lowerBound, r.lowerBound, r.count) { return code }
        }
        let slice = UnsafeBufferPointer(rebasing: bytes[r])
        for (n, e) in E.allCases.enumerated() where e.rawValue.utf8.elementsEqual(slice) {
            if enumCount[field] < Self.enumSlots {
                enumSeen[seen + enumCount[field]] = (r, UInt8(n + 1))
                enumCount[field] += 1
            }
            return UInt8(n + 1)
        }
        return nil
    }

    /// How many values of one enum field are remembered (every enum has fewer).
    static let enumSlots = 16

    /// A code field packed (0 for empty), or nil when it is not a code of `scheme`.
    private mutating func code(_ r: Range<Int>, _ scheme: CodeScheme) -> UInt32? {
        if r.isEmpty { return 0 }
        guard r.count <= 9, let v = field.integer(r), v >= 0 else { return nil }
        let key = UInt64(scheme.rawValue) << 56 | UInt64(r.count) << 48 | UInt64(v)
        if let hit = codes[key] { return packedCodes[Int(hit)] }
        guard let c = Code(String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self), scheme: scheme) else { return nil }
        codes.insert(key, Int32(packedCodes.count))
        packedCodes.append(c.packed)
        return c.packed
    }
}

/// A file's bytes, and what a field of them (a range of its bytes) reads as.
struct FieldBytes {
    let bytes: UnsafeBufferPointer<UInt8>

    /// Whether the `n` bytes at `a` and at `b` are the same: eight at a time (the last eight overlapping the
    /// word before), fields being short (a unit's name, a phase), where a call to memcmp costs more than it does.
    @inline(__always)
    func sameBytes(_ a: Int, _ b: Int, _ n: Int) -> Bool {
        guard n >= 8, let base = UnsafeRawPointer(bytes.baseAddress) else {
            for k in 0..<n where bytes[a + k] != bytes[b + k] { return false }
            return true
        }
        var k = 0
        while k + 8 < n {
            if base.loadUnaligned(fromByteOffset: a + k, as: UInt64.self) != base.loadUnaligned(fromByteOffset: b + k, as: UInt64.self) { return false }
            k += 8
        }
        return base.loadUnaligned(fromByteOffset: a + n - 8, as: UInt64.self) == base.loadUnaligned(fromByteOffset: b + n - 8, as: UInt64.self)
    }

    /// A whole number of ASCII digits (an optional minus), or nil.
    func integer(_ r: Range<Int>) -> Int? {
        guard !r.isEmpty, r.count <= 18 else { return nil }
        var i = r.lowerBound, negative = false
        if bytes[i] == 0x2D { negative = true; i += 1; guard i < r.upperBound else { return nil } }
        var v = 0
        while i < r.upperBound {
            let d = Int(bytes[i]) - 0x30
            guard (0...9).contains(d) else { return nil }
            v = v * 10 + d
            i += 1
        }
        return negative ? -v : v
    }

    /// The `printed` field's byte: 0 for empty (万元), 1 for 元; nil for anything else.
    func printedByte(_ r: Range<Int>) -> UInt8? {
        if r.isEmpty { return 0 }
        return AmountUnit.yuan.rawValue.utf8.elementsEqual(UnsafeBufferPointer(rebasing: bytes[r])) ? AmountUnit.yuan.byte : nil
    }

    /// A plain amount (optional minus, digits, a point and at most 6 decimals) in millionths, or nil.
    func amount(_ r: Range<Int>) -> Int64? {
        guard !r.isEmpty else { return nil }
        var i = r.lowerBound, negative = false
        if bytes[i] == 0x2D { negative = true; i += 1 }
        var whole: Int64 = 0, digits = 0
        while i < r.upperBound, bytes[i] != 0x2E {
            let d = Int64(bytes[i]) - 0x30
            guard (0...9).contains(d) else { return nil }
            let (m, o1) = whole.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(d)
            guard !o1, !o2 else { return nil }
            whole = s
            digits += 1
            i += 1
        }
        guard digits > 0 else { return nil }
        var fraction: Int64 = 0, places = 0
        if i < r.upperBound {
            i += 1   // the point
            guard i < r.upperBound else { return nil }
            while i < r.upperBound {
                let d = Int64(bytes[i]) - 0x30
                guard (0...9).contains(d), places < Money.maxDecimals else { return nil }
                fraction = fraction * 10 + d
                places += 1
                i += 1
            }
        }
        for _ in places..<Money.maxDecimals { fraction *= 10 }
        let (m, o1) = whole.multipliedReportingOverflow(by: Money.unitsPerWan)
        let (units, o2) = m.addingReportingOverflow(fraction)
        guard !o1, !o2 else { return nil }
        return negative ? -units : units
    }
}
