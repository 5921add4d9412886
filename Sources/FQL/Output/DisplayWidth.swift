// DisplayWidth.swift — how many terminal cells text takes: East Asian wide
// and full-width characters (CJK ideographs, kana, Hangul, `，。（）`) take
// two, combining marks and zero-width joiners none, everything else one.
// Tables and error carets align by this, not by character count.

/// Terminal cells `text` occupies.
public func displayWidth(_ text: String) -> Int {
    var w = 0
    for s in text.unicodeScalars { w += cellWidth(s) }
    return w
}

func cellWidth(_ s: Unicode.Scalar) -> Int {
    let v = s.value
    if v == 0 { return 0 }
    if v < 0x300 { return 1 }
    if (0x300...0x36F).contains(v) || (0x200B...0x200F).contains(v) || v == 0xFE0F || (0xFE20...0xFE2F).contains(v) {
        return 0
    }
    let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
        0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
    return wide.contains { $0.contains(v) } ? 2 : 1
}
