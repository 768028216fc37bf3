// oneDNN C interface (Debian: libdnnl-dev) and its OpenMP runtime (libgomp). Only
// Engine/Ops/DNNL.swift imports this.
#include <oneapi/dnnl/dnnl.h>

// The few OpenMP calls Engine makes (omp.h is GCC's and not on clang's path).
int omp_get_max_threads(void);
void omp_set_num_threads(int);
