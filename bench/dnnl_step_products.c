// One recurrent step's product alone, the way Engine runs it: C (m, n) += A (m, k) · B (k, n),
// single-threaded on oneDNN's matmul with B packed once (format "any"), C's rows `ldc` apart.
// Prints GFLOP/s and the kernel oneDNN chose. Run one copy per core at once, as training does:
//
//   cc -O2 bench/dnnl_step_products.c -o /tmp/step-products -ldnnl -fopenmp
//   for m in 16 32; do /tmp/step-products $m 256 1024 & /tmp/step-products $m 256 1024 > /dev/null; wait; done
//   /tmp/step-products 16 256 768 1024     # C a column slice of a wider matrix: another kernel
//
// It backs two statements in the README ("Where the time goes"): one core's product runs as
// fast with 16 rows as with 32, and a C with rows wider than n gets oneDNN's gemm fallback.
#include <dnnl.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void check(dnnl_status_t status, const char *what) {
    if (status != dnnl_success) { fprintf(stderr, "oneDNN: %s failed (%d)\n", what, (int)status); exit(1); }
}

static void fill(dnnl_memory_t memory, float value) {
    float *data;
    const dnnl_memory_desc_t *desc;
    check(dnnl_memory_get_data_handle(memory, (void **)&data), "getting a buffer");
    check(dnnl_memory_get_memory_desc(memory, &desc), "describing a buffer");
    size_t count = dnnl_memory_desc_get_size(desc) / sizeof(float);
    for (size_t i = 0; i < count; i++) data[i] = value;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s m k n [ldc]\n", argv[0]); return 64; }
    int m = atoi(argv[1]), k = atoi(argv[2]), n = atoi(argv[3]), ldc = argc > 4 ? atoi(argv[4]) : n;
    omp_set_num_threads(1);   // Engine runs each product on one thread, one per core
    dnnl_engine_t engine;
    dnnl_stream_t stream;
    check(dnnl_engine_create(&engine, dnnl_cpu, 0), "creating the engine");
    check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags), "creating a stream");

    dnnl_memory_desc_t a, b, c;
    dnnl_dims_t aDims = {m, k}, bDims = {k, n}, cDims = {m, n}, cStrides = {ldc, 1};
    check(dnnl_memory_desc_init_by_tag(&a, 2, aDims, dnnl_f32, dnnl_ab), "describing A");
    check(dnnl_memory_desc_init_by_tag(&b, 2, bDims, dnnl_f32, dnnl_format_tag_any), "describing B");
    check(dnnl_memory_desc_init_by_strides(&c, 2, cDims, dnnl_f32, cStrides), "describing C");
    dnnl_matmul_desc_t desc;
    check(dnnl_matmul_desc_init(&desc, &a, &b, NULL, &c), "describing the product");
    dnnl_primitive_attr_t attributes;
    dnnl_post_ops_t postOps;
    check(dnnl_primitive_attr_create(&attributes), "creating attributes");
    check(dnnl_post_ops_create(&postOps), "creating post-ops");
    check(dnnl_post_ops_append_sum(postOps, 1), "adding the sum");   // C += A·B, as a step does
    check(dnnl_primitive_attr_set_post_ops(attributes, postOps), "setting post-ops");
    dnnl_primitive_desc_t chosen;
    check(dnnl_primitive_desc_create(&chosen, &desc, attributes, engine, NULL), "choosing a kernel");
    const char *kernel = "?";
    dnnl_primitive_desc_query(chosen, dnnl_query_impl_info_str, 0, &kernel);
    const dnnl_memory_desc_t *packed = dnnl_primitive_desc_query_md(chosen, dnnl_query_weights_md, 0);
    dnnl_primitive_t product;
    check(dnnl_primitive_create(&product, chosen), "creating the product");

    dnnl_memory_t memA, memB, memC;
    check(dnnl_memory_create(&memA, &a, engine, DNNL_MEMORY_ALLOCATE), "allocating A");
    check(dnnl_memory_create(&memB, packed, engine, DNNL_MEMORY_ALLOCATE), "allocating B");
    check(dnnl_memory_create(&memC, &c, engine, DNNL_MEMORY_ALLOCATE), "allocating C");
    fill(memA, 0.01f);
    fill(memB, 0.001f);
    fill(memC, 0);
    dnnl_exec_arg_t arguments[3] = {{DNNL_ARG_SRC, memA}, {DNNL_ARG_WEIGHTS, memB}, {DNNL_ARG_DST, memC}};

    double flops = 2.0 * m * k * n;
    int repeats = (int)(4e9 / flops) + 50;   // about two seconds each round
    double best = 0;
    for (int round = 0; round < 3; round++) {   // the first round also warms the kernel up
        double start = seconds();
        for (int i = 0; i < repeats; i++) check(dnnl_primitive_execute(product, stream, 3, arguments), "running");
        check(dnnl_stream_wait(stream), "waiting");
        double rate = flops * repeats / (seconds() - start) / 1e9;
        if (round > 0 && rate > best) best = rate;
    }
    printf("(%d, %d)·(%d, %d), C rows %d apart: %.1f GFLOP/s on one core [%s]\n", m, k, k, n, ldc, best, kernel);
    return 0;
}
