// Small benchmark driver for evmone's baseline interpreter via the EVMC API.
// Runs the evm-benchmarks cases (pre-extracted to cases.txt by extract_cases.py) the way
// evmone-bench executes them: depth-0 CALL, gas INT64_MAX, zero recipient/sender, value 0,
// revision Istanbul, evmc::MockedHost (a fresh one per execution), vm.execute(code) so that
// baseline jump analysis is paid on every call. Timing: thread CPU time.
//
// Usage: evmone-drive [--json] [--case SUBSTRING] [--runs R] [--cases PATH]

#include <evmc/evmc.hpp>
#include <evmc/mocked_host.hpp>
#include <evmone/evmone.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#ifndef EVMONE_COMMIT
#define EVMONE_COMMIT "unknown"
#endif

namespace
{
struct Case
{
    std::string name;
    int64_t expected_gas = 0;
    std::vector<uint8_t> expected_output;  // empty: not checked
    std::vector<uint8_t> code;
    std::vector<uint8_t> input;
};

std::vector<uint8_t> from_hex(const std::string& s)
{
    std::vector<uint8_t> out;
    if (s == "-")
        return out;
    auto nib = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        std::fprintf(stderr, "bad hex char '%c'\n", c);
        std::exit(2);
    };
    if (s.size() % 2 != 0)
    {
        std::fprintf(stderr, "odd hex length\n");
        std::exit(2);
    }
    out.reserve(s.size() / 2);
    for (size_t i = 0; i < s.size(); i += 2)
        out.push_back(static_cast<uint8_t>(nib(s[i]) * 16 + nib(s[i + 1])));
    return out;
}

double thread_cpu_us()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) * 1e-3;
}

constexpr auto rev = EVMC_ISTANBUL;
constexpr auto gas_limit = std::numeric_limits<int64_t>::max();

struct Exec
{
    int64_t gas_used;
    evmc_status_code status;
    std::vector<uint8_t> output;
};

// One execution with a fresh MockedHost.
inline int64_t execute_once(evmc::VM& vm, const evmc_message& msg, const Case& c)
{
    evmc::MockedHost host;
    const auto r = vm.execute(host, rev, msg, c.code.data(), c.code.size());
    return r.status_code == EVMC_SUCCESS ? gas_limit - r.gas_left : -1;
}

Exec execute_checked(evmc::VM& vm, const evmc_message& msg, const Case& c)
{
    evmc::MockedHost host;
    const auto r = vm.execute(host, rev, msg, c.code.data(), c.code.size());
    return {gas_limit - r.gas_left, r.status_code,
        std::vector<uint8_t>(r.output_data, r.output_data + r.output_size)};
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double geomean(const std::vector<double>& v)
{
    if (v.empty())
        return 0.0;
    double s = 0;
    for (const auto x : v)
        s += std::log(x);
    return std::exp(s / static_cast<double>(v.size()));
}

std::string json_escape(const std::string& s)
{
    std::string o;
    for (const char ch : s)
    {
        if (ch == '"' || ch == '\\')
            o += '\\';
        o += ch;
    }
    return o;
}
}  // namespace

int main(int argc, char** argv)
{
    bool json = false;
    std::string filter;
    int runs = 21;
    std::string cases_path = "cases.txt";
    double warmup_us = 300e3;
    double min_run_us = 20e3;
    for (int i = 1; i < argc; ++i)
    {
        const std::string a = argv[i];
        if (a == "--json")
            json = true;
        else if (a == "--case" && i + 1 < argc)
            filter = argv[++i];
        else if (a == "--runs" && i + 1 < argc)
            runs = std::atoi(argv[++i]);
        else if (a == "--cases" && i + 1 < argc)
            cases_path = argv[++i];
        else
        {
            std::fprintf(stderr,
                "usage: %s [--json] [--case SUBSTRING] [--runs R (21)] [--cases PATH]\n", argv[0]);
            return 2;
        }
    }
    if (runs < 1)
        runs = 1;

    std::vector<Case> cases;
    {
        std::ifstream f(cases_path);
        if (!f)
        {
            std::fprintf(stderr, "cannot open %s (run extract_cases.py)\n", cases_path.c_str());
            return 2;
        }
        std::string line;
        while (std::getline(f, line))
        {
            if (line.empty())
                continue;
            std::istringstream ls(line);
            std::string name, gas, out, code, input;
            ls >> name >> gas >> out >> code >> input;
            if (input.empty())
            {
                std::fprintf(stderr, "malformed line in %s\n", cases_path.c_str());
                return 2;
            }
            if (!filter.empty() && name.find(filter) == std::string::npos)
                continue;
            cases.push_back(
                {name, std::stoll(gas), from_hex(out), from_hex(code), from_hex(input)});
        }
    }
    if (cases.empty())
    {
        std::fprintf(stderr, "no cases selected\n");
        return 2;
    }

    evmc::VM vm{evmc_create_evmone()};  // default execute = baseline interpreter
    const std::string version =
        std::string{"evmone "} + vm.version() + " (" + EVMONE_COMMIT + "), baseline, EVMC execute";

    FILE* const lines_out = json ? stderr : stdout;
    std::vector<std::pair<std::string, double>> results;
    int mismatches = 0;

    for (const auto& c : cases)
    {
        evmc_message msg{};
        msg.kind = EVMC_CALL;
        msg.depth = 0;
        msg.gas = gas_limit;
        msg.input_data = c.input.data();
        msg.input_size = c.input.size();
        // recipient, sender, value: zero (value-initialized).

        // Verification run.
        const auto chk = execute_checked(vm, msg, c);
        if (chk.status != EVMC_SUCCESS)
        {
            std::fprintf(stderr, "!!! MISMATCH %s: status %d (expected success)\n", c.name.c_str(),
                chk.status);
            ++mismatches;
        }
        if (chk.gas_used != c.expected_gas)
        {
            std::fprintf(stderr, "!!! MISMATCH %s: gas used %lld, expected %lld\n", c.name.c_str(),
                static_cast<long long>(chk.gas_used), static_cast<long long>(c.expected_gas));
            ++mismatches;
        }
        if (!c.expected_output.empty() && chk.output != c.expected_output)
        {
            std::fprintf(stderr, "!!! MISMATCH %s: output differs from expected\n", c.name.c_str());
            ++mismatches;
        }
        const int64_t gas = chk.gas_used;

        // Warm-up (~300 ms) and calibration of iterations per run.
        int64_t bad = 0;
        uint64_t warm_iters = 0;
        const auto w0 = thread_cpu_us();
        double w_el = 0;
        do
        {
            bad += execute_once(vm, msg, c) != gas;
            ++warm_iters;
            w_el = thread_cpu_us() - w0;
        } while (w_el < warmup_us);
        const double per_exec_us = w_el / static_cast<double>(warm_iters);
        const auto iters = std::max<uint64_t>(
            1, static_cast<uint64_t>(std::ceil(min_run_us * 1.05 / per_exec_us)));

        std::vector<double> rates;
        rates.reserve(static_cast<size_t>(runs));
        for (int r = 0; r < runs; ++r)
        {
            const auto t0 = thread_cpu_us();
            for (uint64_t i = 0; i < iters; ++i)
                bad += execute_once(vm, msg, c) != gas;
            const auto el = thread_cpu_us() - t0;
            rates.push_back(static_cast<double>(gas) * static_cast<double>(iters) / el);
        }
        if (bad != 0)
        {
            std::fprintf(stderr, "!!! MISMATCH %s: %lld timed executions returned other gas\n",
                c.name.c_str(), static_cast<long long>(bad));
            ++mismatches;
        }
        const double med = median(rates);
        results.emplace_back(c.name, med);
        std::fprintf(lines_out, "%s %lld %.2f\n", c.name.c_str(), static_cast<long long>(gas), med);
        std::fflush(lines_out);
    }

    std::vector<double> all, sub;
    for (const auto& [name, v] : results)
    {
        all.push_back(v);
        if (name.find("JUMPDEST_n0") == std::string::npos &&
            name.find("loop_with_many_jumpdests") == std::string::npos)
            sub.push_back(v);
    }
    const double g_all = geomean(all);
    const double g_sub = geomean(sub);
    std::fprintf(lines_out, "geomean_all(%zu) %.2f geomean_25(%zu) %.2f Mgas/s\n", all.size(), g_all,
        sub.size(), g_sub);
    if (mismatches)
        std::fprintf(stderr, "!!! %d MISMATCH(ES) — see above\n", mismatches);

    if (json)
    {
        std::printf("{\"version\":\"%s\",\"cases\":{", json_escape(version).c_str());
        for (size_t i = 0; i < results.size(); ++i)
            std::printf("%s\"%s\":%.2f", i ? "," : "", json_escape(results[i].first).c_str(),
                results[i].second);
        std::printf("},\"geomean_all\":%.2f,\"geomean_25\":%.2f}\n", g_all, g_sub);
    }
    return mismatches ? 1 : 0;
}
