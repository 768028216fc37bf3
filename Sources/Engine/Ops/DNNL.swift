#if oneDNN   // the package trait, on by default; without it, BLASProducts.swift does this file's work
import CDNNL
import Synchronization

/// The one place that calls oneDNN (Debian's libdnnl, 2.6). Every matrix product in Engine runs
/// on its matmul primitive, whose kernels are generated at run time for this CPU (AVX-512 here).
///
/// Each product runs single-threaded; the two cores are used by `Parallel`, which gives each
/// core its own share of the rows (or columns), so no product waits on another thread midway.
/// Why oneDNN, measured on the 2-core machine: a recurrent step's product (32 × 256)·(256 × 1024)
/// ran at 208 GFLOP/s on two threads with its weights packed once, against 130 in OpenBLAS,
/// which repacks them at every call; single-threaded on half the rows, 105 per core with no
/// wait between steps. Two thread pools that spin while they wait (OpenBLAS's and OpenMP's) had
/// slowed a whole LSTM batch down by half when both were used, so OpenBLAS does no products in
/// this build (it does them, single-threaded, in the build without oneDNN: BLASProducts.swift).

/// One product on the calling thread (`part`'s, for oneDNN's per-thread scratch), with the
/// meaning `sgemm` (Products.swift) gives it; k > 0.
func productOnOneThread(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                        m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, beta: Float,
                        bias: UnsafePointer<Float>?, activation: Activation, lda: Int, ldb: Int, ldc: Int, part: Int) {
    let key = Product.Key(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                          lda: lda, ldb: ldb, ldc: ldc, accumulate: accumulates(beta), packedWeights: false,
                          hasBias: bias != nil, activation: activation)
    Product.cached(key).run(a, weights: b, into: c, bias: bias, part: part)
}

/// A right-hand operand B (k, n) reordered once into the blocked layout that oneDNN's kernel
/// for (m, k)·(k, n) reads fastest, then multiplied many times: the recurrent weights, packed
/// once per batch instead of at every step. Made from B as stored (k, n) with rows `sourceLD`
/// apart, or from a stored (n, k) matrix when `transposed`; `rows` is the m of the products it
/// takes part in, whose results c (rows `outputLD` apart) are act(beta·c + a·B). Both parts of
/// a parallel section may multiply by it at once.
final class PackedMatrix {
    let rows: Int, k: Int, n: Int
    private let product: Product
    private let memory: dnnl_memory_t

    init(_ b: UnsafePointer<Float>, k: Int, n: Int, transposed: Bool, rows: Int, beta: Float,
         sourceLD: Int? = nil, outputLD: Int? = nil, activation: Activation = .none) {
        precondition(rows > 0 && k > 0 && n > 0, "PackedMatrix needs positive sizes")
        (self.rows, self.k, self.n) = (rows, k, n)
        let key = Product.Key(m: rows, n: n, k: k, transposeA: false, transposeB: false, lda: k, ldb: n, ldc: outputLD ?? n,
                              accumulate: accumulates(beta), packedWeights: true, hasBias: false, activation: activation)
        let product = Product.cached(key)
        self.product = product
        var packedDesc = product.weightsDesc
        var memory: dnnl_memory_t?
        check(dnnl_memory_create(&memory, &packedDesc, DNNL.engine, DNNL.allocate), "allocating packed weights")
        self.memory = memory!
        let ld = sourceLD ?? (transposed ? k : n)
        Reorder.cached(transposed: transposed, sourceLD: ld, into: product).run(from: b, to: self.memory)
    }

    deinit { dnnl_memory_destroy(memory) }

    /// c (rows, n) = act(a (rows, k) · B + beta·c); on `part`'s thread.
    func multiply(_ a: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>, part: Int) {
        MatmulLog.record(MatmulLog.Shape(m: rows, n: n, k: k, transposeA: false, transposeB: false, packed: true,
                                         onOnePart: true))
        product.run(a, packedWeights: memory, into: c, part: part)
    }
}

/// y (rows, columns) = the softmax of each row of x, on `part`'s thread: oneDNN's softmax,
/// vectorized for this CPU (here AVX-512, which Swift's own loops do not reach).
func softmaxRows(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, rows: Int, columns: Int, part: Int) {
    guard rows > 0, columns > 0 else { return }
    Softmax.cached(rows: rows, columns: columns).run(x, into: y, part: part)
}

/// Makes the calling thread's oneDNN products single-threaded (OpenMP's per-thread setting):
/// `Parallel` spreads the work over the cores, not the library.
func useSingleThreadedProducts() { omp_set_num_threads(1) }

// MARK: - Primitives, made once per shape and kept

private enum DNNL {
    static let engine: dnnl_engine_t = {
        useSingleThreadedProducts()   // kernels are chosen for one thread at creation
        var engine: dnnl_engine_t?
        check(dnnl_engine_create(&engine, dnnl_cpu, 0), "creating the CPU engine")
        return engine!
    }()
    /// One stream per part (a stream is not shared between threads).
    static let streams: [dnnl_stream_t] = (0..<Parallel.parts).map { _ in
        var stream: dnnl_stream_t?
        check(dnnl_stream_create(&stream, engine, UInt32(dnnl_stream_default_flags.rawValue)), "creating a stream")
        return stream!
    }
    /// DNNL_MEMORY_ALLOCATE: let the library allocate a memory object's buffer.
    static let allocate = UnsafeMutableRawPointer(bitPattern: -1)
    /// Primitives are made on first use by whichever part needs them.
    static let products = Mutex<[Product.Key: Product]>([:])
    static let reorders = Mutex<[Reorder.Key: Reorder]>([:])
    static let softmaxes = Mutex<[[Int]: Softmax]>([:])
}

private func accumulates(_ beta: Float) -> Bool {
    precondition(beta == 0 || beta == 1, "beta must be 0 or 1, got \(beta)")
    return beta == 1
}

private func check(_ status: dnnl_status_t, _ what: @autoclosure () -> String) {
    precondition(status == dnnl_success, "oneDNN: \(what()) failed (status \(status.rawValue))")
}

/// A row-major (rows, columns) matrix whose rows are `ld` apart, or the transpose of a stored
/// (columns, rows) one whose rows are `ld` apart.
private func matrixDesc(_ rows: Int, _ columns: Int, transposed: Bool, ld: Int) -> dnnl_memory_desc_t {
    var desc = dnnl_memory_desc_t()
    let dims = [Int64(rows), Int64(columns)]
    let strides = transposed ? [1, Int64(ld)] : [Int64(ld), 1]
    check(dnnl_memory_desc_init_by_strides(&desc, 2, dims, dnnl_f32, strides), "describing a \(rows)×\(columns) matrix")
    return desc
}

/// A memory object whose data pointer is set before each use; with `allocating`, one that owns
/// a buffer of its own (a scratchpad).
private func memoryObject(_ desc: dnnl_memory_desc_t, allocating: Bool = false) -> dnnl_memory_t {
    var desc = desc
    var memory: dnnl_memory_t?
    check(dnnl_memory_create(&memory, &desc, DNNL.engine, allocating ? DNNL.allocate : nil), "creating a memory object")
    return memory!
}

/// One matmul primitive, C = op(A)·op(B) (+ C). It may run on both parts at once: each part has
/// its own memory objects (their data pointers are set at each call) and its own scratchpad.
private final class Product {
    struct Key: Hashable {
        let m, n, k: Int
        let transposeA, transposeB: Bool
        let lda, ldb, ldc: Int
        let accumulate, packedWeights, hasBias: Bool
        let activation: Activation
    }

    let key: Key
    let primitive: dnnl_primitive_t
    /// The weights' layout: plain, or the packed one the primitive chose.
    let weightsDesc: dnnl_memory_desc_t
    private struct PartMemory {
        let src, dst: dnnl_memory_t
        let weights, bias, scratchpad: dnnl_memory_t?
    }
    private let memory: [PartMemory]

    static func cached(_ key: Key) -> Product {
        DNNL.products.withLock { products in
            if let product = products[key] { return product }
            let product = Product(key)
            products[key] = product
            return product
        }
    }

    private init(_ key: Key) {
        self.key = key
        var srcDesc = matrixDesc(key.m, key.k, transposed: key.transposeA, ld: key.lda)
        var dstDesc = matrixDesc(key.m, key.n, transposed: false, ld: key.ldc)
        let plainWeights = matrixDesc(key.k, key.n, transposed: key.transposeB, ld: key.ldb)
        var requestedWeights = plainWeights
        if key.packedWeights {  // "any": the primitive picks the layout its kernel reads fastest
            check(dnnl_memory_desc_init_by_tag(&requestedWeights, 2, [Int64(key.k), Int64(key.n)], dnnl_f32,
                                               dnnl_format_tag_any), "describing packed weights")
        }
        var biasDesc = matrixDesc(1, key.n, transposed: false, ld: key.n)   // (1, n), broadcast over rows
        var desc = dnnl_matmul_desc_t()
        let status = key.hasBias ? dnnl_matmul_desc_init(&desc, &srcDesc, &requestedWeights, &biasDesc, &dstDesc)
                                 : dnnl_matmul_desc_init(&desc, &srcDesc, &requestedWeights, nil, &dstDesc)
        check(status, "describing a \(key.m)×\(key.k)·\(key.k)×\(key.n) product")
        var attributes: dnnl_primitive_attr_t?
        check(dnnl_primitive_attr_create(&attributes), "creating attributes")
        defer { dnnl_primitive_attr_destroy(attributes) }
        // Our own scratchpad per part: the library's is one buffer shared by every primitive.
        check(dnnl_primitive_attr_set_scratchpad_mode(attributes, dnnl_scratchpad_mode_user), "setting the scratchpad")
        // C = act(C + A·B): the "sum" post-op adds what C holds, then the activation applies.
        var postOps: dnnl_post_ops_t?
        check(dnnl_post_ops_create(&postOps), "creating post-ops")
        defer { dnnl_post_ops_destroy(postOps) }
        if key.accumulate { check(dnnl_post_ops_append_sum(postOps, 1), "adding the sum post-op") }
        let algorithm: dnnl_alg_kind_t? = switch key.activation {
        case .none: nil
        case .sigmoid: dnnl_eltwise_logistic
        case .tanh: dnnl_eltwise_tanh
        case .relu: dnnl_eltwise_relu
        }
        if let algorithm { check(dnnl_post_ops_append_eltwise(postOps, 1, algorithm, 0, 0), "adding an activation") }
        check(dnnl_primitive_attr_set_post_ops(attributes, postOps), "setting post-ops")
        var primitiveDesc: dnnl_primitive_desc_t?
        check(dnnl_primitive_desc_create(&primitiveDesc, &desc, attributes, DNNL.engine, nil), "choosing a matmul kernel")
        defer { dnnl_primitive_desc_destroy(primitiveDesc) }
        weightsDesc = dnnl_primitive_desc_query_md(primitiveDesc, dnnl_query_weights_md, 0).pointee
        var scratchpadDesc = dnnl_primitive_desc_query_md(primitiveDesc, dnnl_query_scratchpad_md, 0).pointee
        let needsScratchpad = dnnl_memory_desc_get_size(&scratchpadDesc) > 0
        var primitive: dnnl_primitive_t?
        check(dnnl_primitive_create(&primitive, primitiveDesc), "creating a matmul primitive")
        self.primitive = primitive!
        memory = (0..<Parallel.parts).map { _ in
            PartMemory(src: memoryObject(srcDesc), dst: memoryObject(dstDesc),
                       weights: key.packedWeights ? nil : memoryObject(plainWeights),
                       bias: key.hasBias ? memoryObject(biasDesc) : nil,
                       scratchpad: needsScratchpad ? memoryObject(scratchpadDesc, allocating: true) : nil)
        }
    }

    func run(_ a: UnsafePointer<Float>, weights b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
             bias: UnsafePointer<Float>?, part: Int) {
        let weights = memory[part].weights!
        check(dnnl_memory_set_data_handle(weights, UnsafeMutableRawPointer(mutating: b)), "setting B")
        execute(a, weights, c, bias: bias, part: part)
    }

    func run(_ a: UnsafePointer<Float>, packedWeights: dnnl_memory_t, into c: UnsafeMutablePointer<Float>, part: Int) {
        execute(a, packedWeights, c, bias: nil, part: part)
    }

    private func execute(_ a: UnsafePointer<Float>, _ weights: dnnl_memory_t, _ c: UnsafeMutablePointer<Float>,
                         bias: UnsafePointer<Float>?, part: Int) {
        let mine = memory[part]
        check(dnnl_memory_set_data_handle(mine.src, UnsafeMutableRawPointer(mutating: a)), "setting A")
        check(dnnl_memory_set_data_handle(mine.dst, c), "setting C")
        var arguments = [dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: mine.src),
                         dnnl_exec_arg_t(arg: DNNL_ARG_WEIGHTS, memory: weights),
                         dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: mine.dst)]
        if let biasMemory = mine.bias {
            check(dnnl_memory_set_data_handle(biasMemory, UnsafeMutableRawPointer(mutating: bias!)), "setting the bias")
            arguments.append(dnnl_exec_arg_t(arg: DNNL_ARG_BIAS, memory: biasMemory))
        }
        if let scratchpad = mine.scratchpad { arguments.append(dnnl_exec_arg_t(arg: DNNL_ARG_SCRATCHPAD, memory: scratchpad)) }
        check(dnnl_primitive_execute(primitive, DNNL.streams[part], Int32(arguments.count), arguments), "running a product")
        check(dnnl_stream_wait(DNNL.streams[part]), "waiting for a product")
    }
}

/// The reorder that packs a plain (k, n) matrix, or the transpose of an (n, k) one, into the
/// layout a packed product reads. Packing happens outside parallel sections, on part 0.
private final class Reorder {
    struct Key: Hashable {
        let product: Product.Key
        let transposed: Bool
        let sourceLD: Int
    }

    private let primitive: dnnl_primitive_t
    private let source: dnnl_memory_t

    static func cached(transposed: Bool, sourceLD: Int, into product: Product) -> Reorder {
        let key = Key(product: product.key, transposed: transposed, sourceLD: sourceLD)
        return DNNL.reorders.withLock { reorders in
            if let reorder = reorders[key] { return reorder }
            let reorder = Reorder(k: product.key.k, n: product.key.n, transposed: transposed, sourceLD: sourceLD,
                                  target: product.weightsDesc)
            reorders[key] = reorder
            return reorder
        }
    }

    private init(k: Int, n: Int, transposed: Bool, sourceLD: Int, target: dnnl_memory_desc_t) {
        var sourceDesc = matrixDesc(k, n, transposed: transposed, ld: sourceLD)
        var target = target
        var primitiveDesc: dnnl_primitive_desc_t?
        check(dnnl_reorder_primitive_desc_create(&primitiveDesc, &sourceDesc, DNNL.engine, &target, DNNL.engine, nil),
              "choosing a reorder")
        defer { dnnl_primitive_desc_destroy(primitiveDesc) }
        var primitive: dnnl_primitive_t?
        check(dnnl_primitive_create(&primitive, primitiveDesc), "creating a reorder")
        self.primitive = primitive!
        source = memoryObject(sourceDesc)
    }

    func run(from b: UnsafePointer<Float>, to packed: dnnl_memory_t) {
        check(dnnl_memory_set_data_handle(source, UnsafeMutableRawPointer(mutating: b)), "setting the source")
        let arguments = [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: source),
                         dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: packed)]
        check(dnnl_primitive_execute(primitive, DNNL.streams[0], Int32(arguments.count), arguments), "packing weights")
        check(dnnl_stream_wait(DNNL.streams[0]), "waiting for a reorder")
    }
}

/// A softmax over the rows of a (rows, columns) matrix, with per-part memory objects.
private final class Softmax {
    private let primitive: dnnl_primitive_t
    private let memory: [(src: dnnl_memory_t, dst: dnnl_memory_t, scratchpad: dnnl_memory_t?)]

    static func cached(rows: Int, columns: Int) -> Softmax {
        DNNL.softmaxes.withLock { softmaxes in
            if let softmax = softmaxes[[rows, columns]] { return softmax }
            let softmax = Softmax(rows: rows, columns: columns)
            softmaxes[[rows, columns]] = softmax
            return softmax
        }
    }

    private init(rows: Int, columns: Int) {
        var dataDesc = matrixDesc(rows, columns, transposed: false, ld: columns)
        var desc = dnnl_softmax_desc_t()
        check(dnnl_softmax_forward_desc_init(&desc, dnnl_forward_inference, &dataDesc, 1), "describing a softmax")
        var attributes: dnnl_primitive_attr_t?
        check(dnnl_primitive_attr_create(&attributes), "creating attributes")
        defer { dnnl_primitive_attr_destroy(attributes) }
        check(dnnl_primitive_attr_set_scratchpad_mode(attributes, dnnl_scratchpad_mode_user), "setting the scratchpad")
        var primitiveDesc: dnnl_primitive_desc_t?
        check(dnnl_primitive_desc_create(&primitiveDesc, &desc, attributes, DNNL.engine, nil), "choosing a softmax kernel")
        defer { dnnl_primitive_desc_destroy(primitiveDesc) }
        let scratchpadDesc = dnnl_primitive_desc_query_md(primitiveDesc, dnnl_query_scratchpad_md, 0).pointee
        var scratchpadCopy = scratchpadDesc
        let needsScratchpad = dnnl_memory_desc_get_size(&scratchpadCopy) > 0
        var primitive: dnnl_primitive_t?
        check(dnnl_primitive_create(&primitive, primitiveDesc), "creating a softmax")
        self.primitive = primitive!
        memory = (0..<Parallel.parts).map { _ in
            (memoryObject(dataDesc), memoryObject(dataDesc), needsScratchpad ? memoryObject(scratchpadDesc, allocating: true) : nil)
        }
    }

    func run(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, part: Int) {
        let mine = memory[part]
        check(dnnl_memory_set_data_handle(mine.src, UnsafeMutableRawPointer(mutating: x)), "setting the softmax's input")
        check(dnnl_memory_set_data_handle(mine.dst, y), "setting the softmax's output")
        var arguments = [dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: mine.src), dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: mine.dst)]
        if let scratchpad = mine.scratchpad { arguments.append(dnnl_exec_arg_t(arg: DNNL_ARG_SCRATCHPAD, memory: scratchpad)) }
        check(dnnl_primitive_execute(primitive, DNNL.streams[part], Int32(arguments.count), arguments), "running a softmax")
        check(dnnl_stream_wait(DNNL.streams[part]), "waiting for a softmax")
    }
}
#endif
