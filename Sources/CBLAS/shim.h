// OpenBLAS C interface (Debian: libopenblas-dev). Only Engine/Ops/BLAS.swift imports this.
#include <cblas.h>
