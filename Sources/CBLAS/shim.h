// OpenBLAS's C interface (Debian: libopenblas-dev). Only Engine/Tensor/BLAS.swift imports this.
#include <cblas.h>
