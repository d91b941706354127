package dev.lanes.evm;

import static dev.lanes.evm.Opcodes.*;

/**
 * Per-fork deltas, in fork order, each labelled with the EIP that made it. {@link ForkRules} copies the
 * previous fork's rules and calls {@link #apply} for the next.
 */
final class GasTable {
    private GasTable() {}

    static void frontier(ForkRules r) {
        int[] g = r.gas;
        g[STOP] = 0;
        for (int op : new int[] {ADD, SUB, LT, GT, SLT, SGT, EQ, ISZERO, AND, OR, XOR, NOT, BYTE, CALLDATALOAD,
            MLOAD, MSTORE, MSTORE8, CALLDATACOPY, CODECOPY}) g[op] = 3;
        for (int op : new int[] {MUL, DIV, SDIV, MOD, SMOD, SIGNEXTEND}) g[op] = 5;
        g[ADDMOD] = 8; g[MULMOD] = 8; g[EXP] = 10;
        g[KECCAK256] = 30;
        for (int op : new int[] {ADDRESS, ORIGIN, CALLER, CALLVALUE, CALLDATASIZE, CODESIZE, GASPRICE, COINBASE,
            TIMESTAMP, NUMBER, PREVRANDAO, GASLIMIT, POP, PC, MSIZE, GAS}) g[op] = 2;
        g[BALANCE] = 20; g[EXTCODESIZE] = 20; g[EXTCODECOPY] = 20; g[BLOCKHASH] = 20;
        g[SLOAD] = 50; g[SSTORE] = 0;
        g[JUMP] = 8; g[JUMPI] = 10; g[JUMPDEST] = 1;
        for (int op = PUSH1; op <= PUSH32; op++) g[op] = 3;
        for (int op = DUP1; op <= DUP16; op++) g[op] = 3;
        for (int op = SWAP1; op <= SWAP16; op++) g[op] = 3;
        for (int n = 0; n <= 4; n++) g[LOG0 + n] = 375 + 375 * n;
        g[CREATE] = 32000; g[CALL] = 40; g[CALLCODE] = 40; g[RETURN] = 0; g[SELFDESTRUCT] = 0;
        r.sloadGas = 50; r.balanceGas = 20; r.extcodeGas = 20; r.callGas = 40; r.selfdestructGas = 0;
    }

    static void apply(Fork f, ForkRules r) {
        int[] g = r.gas;
        switch (f) {
            case HOMESTEAD -> {
                g[DELEGATECALL] = 40;                  // EIP-7
                r.eip7DelegateCall = true;
                r.eip2CreateOogFails = true;           // EIP-2
                r.eip2LowS = true;
            }
            case TANGERINE_WHISTLE -> {                // EIP-150
                r.eip150 = true;
                g[BALANCE] = 400; g[EXTCODESIZE] = 700; g[EXTCODECOPY] = 700; g[SLOAD] = 200;
                g[CALL] = 700; g[CALLCODE] = 700; g[DELEGATECALL] = 700; g[SELFDESTRUCT] = 5000;
                r.sloadGas = 200; r.balanceGas = 400; r.extcodeGas = 700; r.callGas = 700; r.selfdestructGas = 5000;
            }
            case SPURIOUS_DRAGON -> {
                r.eip155 = true;                       // EIP-155 replay protection
                r.eip161 = true;                       // EIP-161 state clearing
                r.maxCodeSize = 24576;                 // EIP-170
                r.expByteGas = 50;                     // EIP-160
            }
            case BYZANTIUM -> {
                r.eip140Revert = true; g[REVERT] = 0;  // EIP-140
                r.eip211ReturnData = true; g[RETURNDATASIZE] = 2; g[RETURNDATACOPY] = 3; // EIP-211
                r.eip214Static = true; g[STATICCALL] = 700;                               // EIP-214
                r.eip658Status = true;                 // EIP-658 receipt status
            }
            case CONSTANTINOPLE -> {
                r.eip145Shifts = true; g[SHL] = 3; g[SHR] = 3; g[SAR] = 3; // EIP-145
                r.eip1014Create2 = true; g[CREATE2] = 32000;            // EIP-1014
                r.eip1052ExtCodeHash = true; g[EXTCODEHASH] = 400; r.extcodehashGas = 400; // EIP-1052
                r.eip1283NetMetering = true;                             // EIP-1283
            }
            case PETERSBURG -> r.eip1283NetMetering = false;             // EIP-1283 removed
            case ISTANBUL -> {
                r.eip1884 = true; g[SLOAD] = 800; g[BALANCE] = 700; g[EXTCODEHASH] = 700; g[SELFBALANCE] = 5; // EIP-1884
                r.sloadGas = 800; r.balanceGas = 700; r.extcodehashGas = 700;
                r.eip1344ChainId = true; g[CHAINID] = 2;                 // EIP-1344
                r.eip2200NetMetering = true;                             // EIP-2200
                r.eip2028 = true; r.txDataNonZeroGas = 16;               // EIP-2028
            }
            case BERLIN -> {                                             // EIP-2929: static part is the warm cost
                r.eip2929 = true;
                for (int op : new int[] {SLOAD, BALANCE, EXTCODESIZE, EXTCODECOPY, EXTCODEHASH, CALL, CALLCODE,
                    DELEGATECALL, STATICCALL}) g[op] = 100;
                r.sloadGas = 100; r.balanceGas = 100; r.extcodeGas = 100; r.extcodehashGas = 100; r.callGas = 100;
                r.sstoreResetGas = 5000 - 2100;
                r.eip2930 = true;                                        // EIP-2930 access lists
            }
            case LONDON -> {
                r.eip1559 = true;                                        // EIP-1559
                r.eip3198BaseFee = true; g[BASEFEE] = 2;                 // EIP-3198
                r.eip3529 = true; r.sstoreClearRefund = 4800; r.selfdestructRefund = 0; r.refundQuotient = 5; // EIP-3529
                r.eip3541 = true;                                        // EIP-3541
            }
            case PARIS -> r.eip4399Prevrandao = true;                    // EIP-4399
            case SHANGHAI -> {
                r.eip3651WarmCoinbase = true;                            // EIP-3651
                r.eip3855Push0 = true; g[PUSH0] = 2;                     // EIP-3855
                r.eip3860InitcodeLimit = true; r.maxInitcodeSize = 2 * 24576; // EIP-3860
            }
            case CANCUN -> {
                r.eip1153Transient = true; g[TLOAD] = 100; g[TSTORE] = 100; // EIP-1153
                r.eip5656Mcopy = true; g[MCOPY] = 3;                     // EIP-5656
                r.eip6780 = true;                                        // EIP-6780
                r.eip4844 = true; g[BLOBHASH] = 3;                       // EIP-4844
                r.targetBlobGasPerBlock = 393216; r.maxBlobGasPerBlock = 786432; r.blobBaseFeeUpdateFraction = 3338477;
                r.eip7516BlobBaseFee = true; g[BLOBBASEFEE] = 2;         // EIP-7516
                r.eip4788 = true;                                        // EIP-4788
            }
            case PRAGUE -> {
                r.eip7702 = true;                                        // EIP-7702
                r.eip7623 = true;                                        // EIP-7623
                r.eip2935 = true;                                        // EIP-2935
                r.eip7685Requests = true;                                // EIP-7685 with EIP-6110/7002/7251
                r.targetBlobGasPerBlock = 786432; r.maxBlobGasPerBlock = 1179648; r.blobBaseFeeUpdateFraction = 5007716; // EIP-7691
            }
            case OSAKA -> {
                r.eip7939Clz = true; g[CLZ] = 5;                         // EIP-7939
                r.maxBlobsPerTx = 6;                                     // EIP-7594
                r.eip7918BlobReservePrice = true;                        // EIP-7918
                r.eip7934BlockSizeLimit = true;                          // EIP-7934
            }
            default -> throw new IllegalStateException("no rules for " + f);
        }
        Precompiles.install(f, r);
    }
}
