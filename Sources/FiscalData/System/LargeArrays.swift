// LargeArrays.swift — arrays of millions of elements (a store's columns, per-row
// numbers), made so that the kernel can back them with huge pages: on a virtual
// machine, faulting in a gigabyte 4 KB at a time is most of the time a large
// store takes to load.

#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back the untouched memory of `b` with huge pages where it can (Linux's transparent
/// huge pages when set to `madvise`): a large array is then filled with one fault per 2 MB instead of one
/// per 4 KB. Only for a buffer of 4 MB or more; a hint, never an error.
func adviseHugePages(_ b: UnsafeMutableRawBufferPointer) {
    #if os(Linux)
    guard b.count >= 4 << 20, let base = b.baseAddress else { return }
    let page = 4096
    let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
    let end = (Int(bitPattern: base) + b.count) & ~(page - 1)
    guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
    _ = madvise(p, end - start, 14)   // MADV_HUGEPAGE
    #endif
}

extension Array where Element: BitwiseCopyable {
    /// `count` copies of `value`, in memory advised for huge pages before it is first touched.
    init(large count: Int, repeating value: Element) {
        self.init(unsafeUninitializedCapacity: count) { buf, initialized in
            adviseHugePages(UnsafeMutableRawBufferPointer(buf))
            buf.initialize(repeating: value)
            initialized = count
        }
    }
}
