// OpenBLAS C interface (Debian: libopenblas-dev). Only Engine/Ops/BLAS.swift imports this, and
// Engine/Ops/BLASProducts.swift in the build without oneDNN.
#include <cblas.h>
