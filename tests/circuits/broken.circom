pragma circom 2.1.0;

template Broken() {
    signal input a;
    signal output b
    b <== a;
}
