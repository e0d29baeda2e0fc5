#ifndef NNPLAY_CVECTORMATH_H
#define NNPLAY_CVECTORMATH_H

// Eight square roots in one vector instruction (vsqrtpd), each correctly rounded as the scalar
// square root is. Swift's SIMD8<Double>.squareRoot() compiled to eight scalar roots, each behind
// a branch for negative inputs: the optimisers that divide by √v (adam, rmsprop, adagrad) ran
// about half again slower than sgd on workload c's network.
typedef double nnplay_double8 __attribute__((ext_vector_type(8)));

static inline nnplay_double8 nnplay_sqrt8(nnplay_double8 x) {
    return __builtin_elementwise_sqrt(x);
}

#endif
