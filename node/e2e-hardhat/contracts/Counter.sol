// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

contract Counter {
    uint256 public x;
    event Increment(address indexed by, uint256 to);
    error TooBig(uint256 value);

    function inc() external {
        x += 1;
        emit Increment(msg.sender, x);
    }

    function incBy(uint256 by) external {
        if (by > 100) revert TooBig(by);
        require(by > 0, "by must be positive");
        x += by;
        emit Increment(msg.sender, x);
    }
}
