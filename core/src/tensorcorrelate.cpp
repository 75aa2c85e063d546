// A multi-channel correlation as one 2-D correlation per output plane.
//
// Out(f) sums, over the group's channels c and depth taps az, the 2-D correlations of input
// planes with kernel slices. Those planes are laid out as consecutive rows of one matrix, the
// "stack": stack row r*L + lane holds row r of the plane of lane (c, az), and for a column
// stride also one column phase of it (columns ph, ph + sx, ...). The kernel gets the same
// layout, so one call of the engine's 2-D correlation, with a row stride of sy*L, sums every
// product of the output cell in registers; nothing is added up afterwards. Column phases turn
// a strided correlation into one of stride 1 whose kernel holds the taps of every phase; where a
// phase has no tap in a column, and in the rows between dilated ones, the kernel has holes that
// the 2-D correlation skips, so no product is spent on them and no cell under them is summed.
//
// A plane with a single lane (one channel per group in 2-D: one filter, depthwise, a spatial
// kernel per channel) is correlated with the stride and dilation as they are (in place when it
// reads no padding), which is exactly what convolve() computes.
//
// Each output plane is cut into tiles whose stack rows fit in the second-level cache; a task
// lays out its tile's rows, padding them from the input as it goes (each axis's donorIndex()), and
// every filter of the group runs on the tile while it is there, in one call that finds each
// window's rows once for all the filters. The padded input is never made
// in full. Tiles go to every core; a plane with a single lane is cut into whole pairs of rows
// only, as the 2-D correlation pairs them, so its cells are computed exactly as in one call.
#include "tensorcorrelate.h"

#include "correlate.h"
#include "largematrix.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <cstring>
#include <numeric>

namespace padlab::core::detail {

namespace {

// Stack rows that one tile may read (bytes): about what stays in the second-level cache while
// every filter of the group passes over it.
constexpr size_t kTileBytes = 384 * 1024;

// Tasks per thread, so that uneven tiles still keep every core busy to the end.
constexpr int kTasksPerThread = 4;

int ceilDiv(int a, int b)
{
    return (a + b - 1) / b;
}

struct Plan {
    int lanes = 1;      // L
    int phases = 1;     // column phases laid out as lanes (1: none)
    std::vector<int> phaseOf; // lane phase index -> column phase
    int stackCols = 0;  // columns of a whole stack row
    int kernelRows = 0; // rows of the stacked kernel
    int kernelCols = 0;
    int rowStride = 1;  // of the 2-D correlation on the stack
    int colStride = 1;
    int rowDilation = 1;
    int colDilation = 1;
    int rowsRead = 0;   // input rows of a plane read by the whole output
};

// Where the cells of one padded axis come from: input index, or -1 for the fill value; and the
// range of positions that copy the input as it lies (index = position - before).
struct AxisDonors {
    std::vector<int> donor;
    int first = 0; // positions [first, last) are input cells first - before onward, in order
    int last = 0;
};

// Positions origin + m*step + phase for m < count, on an axis of n cells with pads before.
AxisDonors axisDonors(int origin, int step, int phase, int count, int n, int before, Fill fill)
{
    AxisDonors d;
    d.donor.resize(static_cast<size_t>(count));
    d.first = count;
    d.last = count;
    bool inside = false;
    for (int m = 0; m < count; ++m) {
        const int p = origin + m * step + phase - before;
        d.donor[static_cast<size_t>(m)] = donorIndex(p, n, fill);
        const bool own = p >= 0 && p < n;
        if (own && !inside) {
            d.first = m;
            inside = true;
        }
        if (!own && inside && d.last == count)
            d.last = m;
    }
    if (!inside)
        d.first = d.last = 0;
    return d;
}

// to[q] = from[q * S]: with the stride known at compile time the loop becomes vector shuffles.
template <int S, typename T>
void copyEvery(const T *__restrict from, int count, T *__restrict to)
{
    for (int q = 0; q < count; ++q)
        to[q] = from[q * S];
}

template <typename T>
void copyEvery(const T *from, int step, int count, T *to)
{
    switch (step) {
    case 1:
        std::memcpy(to, from, static_cast<size_t>(count) * sizeof(T));
        return;
    case 2:
        copyEvery<2>(from, count, to);
        return;
    case 3:
        copyEvery<3>(from, count, to);
        return;
    case 4:
        copyEvery<4>(from, count, to);
        return;
    default:
        for (int q = 0; q < count; ++q)
            to[q] = from[static_cast<size_t>(q) * step];
    }
}

template <typename T>
void run(const Tensor &input, const ChannelCorrelation &job, Tensor &out)
{
    const TensorShape &shape = input.shape();
    const int channelsPerGroup = input.channels() / job.groups;
    const int filtersPerGroup = job.filters / job.groups;
    // Plain names, not a structured binding: the lambdas below capture them (clang 14 cannot).
    const int kd = job.kernel[0];
    const int kh = job.kernel[1];
    const int kw = job.kernel[2];
    const int dz = job.dilation[0];
    const int dy = job.dilation[1];
    const int dx = job.dilation[2];
    const int outD = job.output[0];
    const int outH = job.output[1];
    const int outW = job.output[2];
    // A stride is only ever multiplied by the output index before the last: with one output
    // cell on an axis it plays no part, and taking it as 1 keeps huge strides out of the products.
    const int sz = outD > 1 ? job.stride[0] : 1;
    const int sy = outH > 1 ? job.stride[1] : 1;
    const int sx = outW > 1 ? job.stride[2] : 1;
    const int originD = job.origin[0];
    const int originH = job.origin[1];
    const int originW = job.origin[2];
    if (outD == 0 || outH == 0 || outW == 0)
        return;
    const int depthType = cv::DataType<T>::depth;

    Plan plan;
    const int baseLanes = kd * channelsPerGroup;
    plan.rowsRead = (outH - 1) * sy + (kh - 1) * dy + 1;
    const int colsRead = (outW - 1) * sx + (kw - 1) * dx + 1;
    // Column phases used by some tap; with a single lane the 2-D correlation splits them itself.
    const bool split = baseLanes > 1 && sx > 1;
    std::vector<int> phaseIndex(static_cast<size_t>(sx), -1);
    if (split) {
        for (int b = 0; b < kw; ++b) {
            const int ph = (b * dx) % sx;
            if (phaseIndex[static_cast<size_t>(ph)] < 0) {
                phaseIndex[static_cast<size_t>(ph)] = static_cast<int>(plan.phaseOf.size());
                plan.phaseOf.push_back(ph);
            }
        }
        plan.phases = static_cast<int>(plan.phaseOf.size());
    } else {
        plan.phaseOf = {0};
    }
    plan.lanes = baseLanes * plan.phases;
    if (plan.lanes == 1) {
        plan.kernelRows = kh;
        plan.kernelCols = kw;
        plan.rowStride = sy;
        plan.colStride = sx;
        plan.rowDilation = dy;
        plan.colDilation = dx;
        plan.stackCols = colsRead;
    } else {
        plan.kernelRows = ((kh - 1) * dy + 1) * plan.lanes;
        plan.rowStride = sy * plan.lanes;
        plan.rowDilation = 1;
        if (split) {
            plan.kernelCols = ((kw - 1) * dx) / sx + 1;
            plan.colStride = 1;
            plan.colDilation = 1;
            plan.stackCols = outW + plan.kernelCols - 1;
        } else {
            plan.kernelCols = kw;
            plan.colStride = sx;
            plan.colDilation = dx;
            plan.stackCols = colsRead;
        }
    }

    // The stacked kernel of every filter: (a*dy*L + (phase*kd + az)*Cg + c, column offset).
    // Cells of the stacked kernel that hold a tap: the others (a phase's columns past its taps,
    // the rows between dilated ones) are holes, which the 2-D correlation skips.
    cv::Mat used;
    if (plan.lanes > 1)
        used = cv::Mat::zeros(plan.kernelRows, plan.kernelCols, CV_8U);
    std::vector<cv::Mat> kernels(static_cast<size_t>(job.filters));
    for (int f = 0; f < job.filters; ++f) {
        cv::Mat k = cv::Mat::zeros(plan.kernelRows, plan.kernelCols, CV_MAKETYPE(depthType, 1));
        for (int c = 0; c < channelsPerGroup; ++c)
            for (int az = 0; az < kd; ++az)
                for (int a = 0; a < kh; ++a)
                    for (int b = 0; b < kw; ++b) {
                        const size_t at =
                            ((((static_cast<size_t>(f) * channelsPerGroup + c) * kd + az) * kh + a) * kw) + b;
                        const T w = static_cast<T>(job.weights[at]);
                        if (plan.lanes == 1) {
                            k.at<T>(a, b) = w;
                            continue;
                        }
                        const int phase = split ? phaseIndex[static_cast<size_t>((b * dx) % sx)] : 0;
                        const int lane = (phase * kd + az) * channelsPerGroup + c;
                        const int column = split ? (b * dx) / sx : b;
                        k.at<T>(a * dy * plan.lanes + lane, column) = w;
                        used.at<uchar>(a * dy * plan.lanes + lane, column) = 1;
                    }
        kernels[static_cast<size_t>(f)] = k;
    }

    // Tiles: output rows in whole pairs (the 2-D correlation's unit); columns cut only when the
    // stack has several lanes, as then no cell's sum depends on where a tile starts.
    const int m = plan.rowDilation / std::gcd(plan.rowStride, plan.rowDilation);
    const int unit = 2 * m;
    const auto stackRows = [&](int outRows) {
        return (outRows - 1) * plan.rowStride + (plan.kernelRows - 1) * plan.rowDilation + 1;
    };
    const auto stackWidth = [&](int outCols) {
        return (outCols - 1) * plan.colStride + (plan.kernelCols - 1) * plan.colDilation + 1;
    };
    int tileCols = outW;
    if (plan.lanes > 1) {
        const size_t budgetCols = kTileBytes / (static_cast<size_t>(stackRows(unit)) * sizeof(T));
        if (budgetCols < static_cast<size_t>(stackWidth(outW)))
            tileCols = std::min(outW, std::max(64, static_cast<int>(budgetCols) / plan.colStride));
    }
    const int colTiles = ceilDiv(outW, tileCols);
    const size_t rowBytes = static_cast<size_t>(stackWidth(tileCols)) * sizeof(T);
    int tileRows = unit;
    while (tileRows + unit <= outH && static_cast<size_t>(stackRows(tileRows + unit)) * rowBytes <= kTileBytes)
        tileRows += unit;
    const int stacks = job.groups * outD;
    const int wanted = kTasksPerThread * std::max(1, cv::getNumThreads());
    const int perPlane = ceilDiv(wanted, stacks * colTiles);
    if (ceilDiv(outH, tileRows) < perPlane)
        tileRows = std::max(unit, ceilDiv(ceilDiv(outH, perPlane), unit) * unit);
    tileRows = std::min(tileRows, outH);
    const int rowTiles = ceilDiv(outH, tileRows);

    // Donors of the rows read, of each phase's columns, and of each output plane's depth taps.
    const AxisDonors rows = axisDonors(originH, 1, 0, plan.rowsRead, shape.rows(), job.pads[1].before, job.fill);
    std::vector<AxisDonors> columns;
    for (int ph : plan.phaseOf)
        columns.push_back(axisDonors(originW, split ? sx : 1, ph, plan.stackCols, shape.cols(),
                                     job.pads[2].before, job.fill));
    std::vector<AxisDonors> planes;
    for (int z = 0; z < outD; ++z)
        planes.push_back(axisDonors(originD + z * sz, dz, 0, kd, shape.depth(), job.pads[0].before, job.fill));
    const T fillValue = static_cast<T>(job.fill == Fill::Constant ? job.value : 0.0);
    const int step = split ? sx : 1;
    const auto allOwn = [](const AxisDonors &d, int count) { return d.first == 0 && d.last == count; };
    // A single lane that reads only the input's own cells is the input plane itself.
    const bool inPlace = plan.lanes == 1 && allOwn(rows, plan.rowsRead) && allOwn(columns[0], plan.stackCols);

    cv::parallel_for_(cv::Range(0, stacks * rowTiles * colTiles), [&](const cv::Range &range) {
        std::vector<T> buffer;
        std::vector<cv::Mat> dsts;
        for (int task = range.start; task < range.end; ++task) {
            const int s = task / (rowTiles * colTiles);
            const int tile = task % (rowTiles * colTiles);
            const int g = s / outD;
            const int z = s % outD;
            const AxisDonors &depth = planes[static_cast<size_t>(z)];
            const int i0 = (tile / colTiles) * tileRows;
            const int i1 = std::min(outH, i0 + tileRows);
            const int j0 = (tile % colTiles) * tileCols;
            const int j1 = std::min(outW, j0 + tileCols);
            const int firstRow = i0 * plan.rowStride;
            const int firstCol = j0 * plan.colStride;
            const int height = stackRows(i1 - i0);
            const int width = stackWidth(j1 - j0);
            cv::Mat src;
            if (inPlace && allOwn(depth, 1)) {
                src = input.plane(g * channelsPerGroup, depth.donor[0])(
                    cv::Rect(originW - job.pads[2].before + firstCol, originH - job.pads[1].before + firstRow, width,
                             height));
            } else {
                // The tile's stack rows, padded as they are laid out.
                buffer.resize(static_cast<size_t>(height) * static_cast<size_t>(width));
                src = cv::Mat(height, width, CV_MAKETYPE(depthType, 1), buffer.data());
                for (int row = 0; row < height; ++row) {
                    const int stackRow = firstRow + row;
                    const int r = stackRow / plan.lanes;
                    const int lane = stackRow % plan.lanes;
                    const int c = lane % channelsPerGroup;
                    const int az = (lane / channelsPerGroup) % kd;
                    const AxisDonors &cols = columns[static_cast<size_t>(lane / (channelsPerGroup * kd))];
                    const int zd = depth.donor[static_cast<size_t>(az)];
                    const int rd = rows.donor[static_cast<size_t>(r)];
                    T *o = src.ptr<T>(row);
                    if (zd < 0 || rd < 0) {
                        std::fill(o, o + width, fillValue);
                        continue;
                    }
                    const T *in = input.plane(g * channelsPerGroup + c, zd).ptr<T>(rd);
                    for (int x = firstCol; x < firstCol + width;) {
                        if (x >= cols.first && x < cols.last) {
                            const int end = std::min(firstCol + width, cols.last);
                            const T *from = in + cols.donor[static_cast<size_t>(x)];
                            copyEvery(from, step, end - x, o + (x - firstCol));
                            x = end;
                        } else {
                            const int d = cols.donor[static_cast<size_t>(x)];
                            o[x - firstCol] = d >= 0 ? in[d] : fillValue;
                            ++x;
                        }
                    }
                }
            }
            // Every filter of the group in one call: the rows it reads are found once for all.
            dsts.clear();
            for (int fl = 0; fl < filtersPerGroup; ++fl)
                dsts.push_back(out.plane(g * filtersPerGroup + fl, z)(cv::Rect(j0, i0, j1 - j0, i1 - i0)));
            correlateDirect(src, kernels.data() + static_cast<size_t>(g) * filtersPerGroup, dsts.data(),
                            filtersPerGroup, plan.rowStride, plan.colStride, plan.rowDilation, plan.colDilation,
                            used);
            if (!job.bias.empty())
                for (int fl = 0; fl < filtersPerGroup; ++fl)
                    dsts[static_cast<size_t>(fl)] += cv::Scalar::all(job.bias[static_cast<size_t>(g * filtersPerGroup + fl)]);
        }
    });
}

} // namespace

Axes3 toAxes3(const std::vector<int> &values, int rank, int missing)
{
    Axes3 a{missing, missing, missing};
    for (int i = 0; i < rank; ++i)
        a[static_cast<size_t>(3 - rank + i)] = values[static_cast<size_t>(i)];
    return a;
}

Tensor uninitializedTensor(const TensorShape &shape, int depth)
{
    if (shape.cells() == 0)
        return Tensor(shape, depth);
    const std::int64_t rows = std::int64_t{shape.channels} * shape.depth() * shape.rows();
    return Tensor(shape, createLarge(static_cast<int>(rows), shape.cols(), CV_MAKETYPE(depth, 1)));
}

void reuseOrCreate(Tensor &tensor, const TensorShape &shape, int depth)
{
    if (tensor.shape() == shape && tensor.depth() == depth && (!tensor.empty() || shape.cells() == 0))
        return;
    tensor = uninitializedTensor(shape, depth);
}

void correlateChannels(const Tensor &input, const ChannelCorrelation &job, Tensor &out)
{
    if (input.depth() == CV_32F)
        run<float>(input, job, out);
    else
        run<double>(input, job, out);
}

} // namespace padlab::core::detail
