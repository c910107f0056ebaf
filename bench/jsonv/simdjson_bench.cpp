// simdjson_bench.cpp - simdjson's full validation (DOM parse: UTF-8 and
// structure) over every file of a directory, on one core, for comparison
// with jsonv_bench. Files are loaded first; each is parsed --repeat times
// and the best time is kept. .jsonl/.ndjson files go through parse_many.
//
//   simdjson_bench [--repeat N] DIR
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <string>
#include <sys/resource.h>
#include <vector>

static bool is_lines_file(const std::string &name)
{
    auto ends = [&](const char *s) {
        size_t n = std::strlen(s);
        return name.size() > n && name.compare(name.size() - n, n, s) == 0;
    };
    return ends(".jsonl") || ends(".ndjson");
}

static bool validate(simdjson::dom::parser &parser,
                     const simdjson::padded_string &json, bool lines)
{
    if (!lines)
        return parser.parse(json).error() == simdjson::SUCCESS;
    // simdjson 3.0.1 fails with CAPACITY at the first document of a file
    // larger than the batch size (1 MB by default): one batch per file.
    simdjson::dom::document_stream docs;
    size_t batch = std::max<size_t>(json.size(), 1000000);
    if (parser.parse_many(json, batch).get(docs))
        return false;
    for (auto doc : docs)
        if (doc.error())
            return false;
    return true;
}

int main(int argc, char **argv)
{
    int repeat = 3;
    const char *dir = nullptr;
    for (int i = 1; i < argc; i++) {
        if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = std::atoi(argv[++i]);
        else
            dir = argv[i];
    }
    if (!dir || repeat < 1) {
        std::fprintf(stderr, "usage: simdjson_bench [--repeat N] DIR\n");
        return 64;
    }
    std::vector<std::string> names;
    if (DIR *d = opendir(dir)) {
        while (dirent *e = readdir(d))
            if (e->d_name[0] != '.')
                names.push_back(e->d_name);
        closedir(d);
    }
    std::sort(names.begin(), names.end());
    simdjson::dom::parser parser;
    size_t files = 0, valid = 0;
    double bytes = 0, seconds = 0;
    for (const auto &name : names) {
        simdjson::padded_string json;
        if (simdjson::padded_string::load(std::string(dir) + "/" + name)
                .get(json))
            continue;
        bool lines = is_lines_file(name);
        double best = 1e30;
        bool ok = false;
        for (int r = 0; r < repeat; r++) {
            auto start = std::chrono::steady_clock::now();
            ok = validate(parser, json, lines);
            std::chrono::duration<double> took =
                std::chrono::steady_clock::now() - start;
            best = std::min(best, took.count());
        }
        files++;
        valid += ok;
        bytes += (double)json.size();
        seconds += best;
    }
    rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    std::printf("simdjson memory: %zu files, %.1f MB, %zu valid, %.3f s, "
                "%.0f MB/s, peak RSS %ld KB (implementation %s)\n",
                files, bytes / 1e6, valid, seconds, bytes / 1e6 / seconds,
                ru.ru_maxrss,
                simdjson::get_active_implementation()->name().c_str());
    return 0;
}
