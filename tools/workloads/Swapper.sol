// SPDX-License-Identifier: MIT
// A minimal Uniswap V2 swap entry point for the Lanes workloads (tools/build-workload-artifacts compiles it).
// An account cannot move its tokens into a pair and call swap in one transaction, so, like the V2 router's
// swapExactTokensForTokens for a single hop, this contract prices the swap from the pair's reserves, pulls
// the input from the caller into the pair (the caller has approved it) and calls swap.
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

interface IUniswapV2PairLike {
    function token0() external view returns (address);
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external;
}

contract Swapper {
    /// Swaps exactly `amountIn` of `tokenIn` on `pair` for the other token, sent to `to`; reverts below `minOut`.
    function swapExactIn(address pair, address tokenIn, uint256 amountIn, uint256 minOut, address to)
        external
        returns (uint256 amountOut)
    {
        (uint112 reserve0, uint112 reserve1,) = IUniswapV2PairLike(pair).getReserves();
        bool zeroForOne = tokenIn == IUniswapV2PairLike(pair).token0();
        (uint256 reserveIn, uint256 reserveOut) = zeroForOne ? (reserve0, reserve1) : (reserve1, reserve0);
        uint256 amountInWithFee = amountIn * 997;
        amountOut = amountInWithFee * reserveOut / (reserveIn * 1000 + amountInWithFee);
        require(amountOut > 0 && amountOut >= minOut, "Swapper: insufficient output");
        require(IERC20(tokenIn).transferFrom(msg.sender, pair, amountIn), "Swapper: transferFrom failed");
        (uint256 out0, uint256 out1) = zeroForOne ? (uint256(0), amountOut) : (amountOut, uint256(0));
        IUniswapV2PairLike(pair).swap(out0, out1, to, new bytes(0));
    }
}
