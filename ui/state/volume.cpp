#include "volume.h"

#include "padlab/core/error.h"

#include <QCoreApplication>

#include <cmath>
#include <exception>
#include <numeric>

namespace padlab::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("padlab::ui::Volume", text);
}

QString number(double value)
{
    QString s = QString::number(value, 'g', 6);
    s.replace(QLatin1Char('-'), QChar(0x2212));
    return s;
}

core::Tensor customVolume(const VolumeSettings &settings, QString &error)
{
    const auto &shape = settings.sourceShape;
    if (shape.size() != 4) {
        error = tr("the volume must be (D, H, W) or (C, D, H, W)");
        return {};
    }
    std::int64_t cells = 1;
    for (int n : shape) {
        if (n < 1) {
            error = tr("the volume has an axis of size 0");
            return {};
        }
        cells *= n;
    }
    if (cells > kMaxVolumeCells) {
        error = tr("the volume has %1 cells; the Volume view shows at most %2").arg(cells).arg(kMaxVolumeCells);
        return {};
    }
    if (std::int64_t(settings.sourceValues.size()) != cells) {
        error = tr("the volume has %1 values for %2 cells").arg(settings.sourceValues.size()).arg(cells);
        return {};
    }
    core::Tensor t(core::TensorShape{shape[0], {shape[1], shape[2], shape[3]}}, CV_64F);
    cv::Mat m = t.matrix();
    std::copy(settings.sourceValues.begin(), settings.sourceValues.end(), m.ptr<double>(0));
    return t;
}

} // namespace

core::Tensor builtinVolume(VolumeSource source)
{
    if (source == VolumeSource::Sphere) {
        core::Tensor t(core::TensorShape{1, {5, 7, 7}}, CV_64F);
        for (int z = 0; z < 5; ++z)
            for (int y = 0; y < 7; ++y)
                for (int x = 0; x < 7; ++x) {
                    const double r2 = (z - 2) * (z - 2) + (y - 3) * (y - 3) + (x - 3) * (x - 3);
                    t.plane(0, z).at<double>(y, x) = r2 <= 2.5 * 2.5 ? 1.0 : 0.0;
                }
        return t;
    }
    core::Tensor t(core::TensorShape{1, {5, 6, 6}}, CV_64F);
    for (int z = 0; z < 5; ++z)
        for (int y = 0; y < 6; ++y)
            for (int x = 0; x < 6; ++x)
                t.plane(0, z).at<double>(y, x) = z * 100 + y * 10 + x;
    return t;
}

core::TensorPadAmount volumePadAmount(const VolumeSettings &settings)
{
    core::TensorPadAmount amount;
    amount.kind = settings.amount;
    if (settings.amount == core::Amount::Explicit)
        amount.values.assign(settings.pads.begin(), settings.pads.end());
    return amount;
}

namespace {

// The volume, kernel and spec of @p settings in @p set; false with set.error when they do not fit.
bool prepareVolume(const VolumeSettings &settings, const cv::Mat &kernel2d, VolumeSet &set)
{
    set.input = settings.source == VolumeSource::Custom ? customVolume(settings, set.error)
                                                        : builtinVolume(settings.source);
    if (!set.error.isEmpty())
        return false;
    const int c = set.input.channels();
    const int kd = std::clamp(settings.kernelDepth, 1, kMaxVolumeKernelDepth);
    std::vector<int> k3;
    std::vector<double> w;
    switch (settings.kernel) {
    case VolumeKernel::Box:
        k3 = {kd, 3, 3};
        w.assign(std::size_t(kd) * 9, 1.0);
        break;
    case VolumeKernel::Stacked: {
        if (kernel2d.empty() || kernel2d.channels() != 1) {
            set.error = tr("the session has no single-channel kernel to stack");
            return false;
        }
        cv::Mat k;
        kernel2d.convertTo(k, CV_64F);
        k3 = {kd, k.rows, k.cols};
        for (int z = 0; z < kd; ++z)
            for (int y = 0; y < k.rows; ++y)
                for (int x = 0; x < k.cols; ++x)
                    w.push_back(k.at<double>(y, x));
        break;
    }
    case VolumeKernel::Custom:
        if (settings.kernelShape.size() != 3) {
            set.error = tr("the volume's kernel must be (kd, kh, kw)");
            return false;
        }
        k3 = settings.kernelShape;
        w = settings.kernelWeights;
        if (std::int64_t(w.size()) != std::int64_t(k3[0]) * k3[1] * k3[2]) {
            set.error = tr("the kernel has %1 weights for its shape %2×%3×%4")
                            .arg(w.size()).arg(k3[0]).arg(k3[1]).arg(k3[2]);
            return false;
        }
        break;
    }
    // One filter reading every channel with the same 3-D kernel.
    set.kernel.shape = {1, c, k3[0], k3[1], k3[2]};
    for (int ch = 0; ch < c; ++ch)
        set.kernel.weights.insert(set.kernel.weights.end(), w.begin(), w.end());
    set.spec.amount = volumePadAmount(settings);
    set.spec.fill = settings.fill;
    set.spec.value = settings.fillValue;
    set.spec.stride.assign(settings.stride.begin(), settings.stride.end());
    set.spec.dilation.assign(settings.dilation.begin(), settings.dilation.end());
    if (auto why = core::validate(set.spec, set.input.shape(), set.kernel)) {
        set.error = QString::fromStdString(*why);
        return false;
    }
    return true;
}

} // namespace

VolumeSet volumeOperands(const VolumeSettings &settings, const cv::Mat &kernel2d)
{
    VolumeSet set;
    try {
        prepareVolume(settings, kernel2d, set);
    } catch (const std::exception &e) {
        set.error = QString::fromUtf8(e.what());
    }
    return set;
}

VolumeSet computeVolume(const VolumeSettings &settings, const cv::Mat &kernel2d)
{
    VolumeSet set;
    try {
        if (!prepareVolume(settings, kernel2d, set))
            return set;
        set.result = core::convolveTensor(set.input, set.kernel, set.spec);
        set.padded = core::padTensor(set.input, set.result.geometry.pads(), set.spec.fill, set.spec.value);
        if (set.result.geometry.empty())
            set.error = QString::fromStdString(core::emptyOutputReason(set.result.geometry));
    } catch (const std::exception &e) {
        set.error = QString::fromUtf8(e.what());
    }
    return set;
}

std::array<int, 3> volumeOutputSize(const VolumeSettings &settings, const cv::Mat &kernel2d)
{
    VolumeSet set;
    try {
        if (!prepareVolume(settings, kernel2d, set))
            return {0, 0, 0};
        const std::vector<int> out = core::tensorGeometry(set.spec, set.input.shape(), set.kernel).outputSize();
        if (out.size() != 3)
            return {0, 0, 0};
        return {out[0], out[1], out[2]};
    } catch (const std::exception &) {
        return {0, 0, 0};
    }
}

int VolumeSet::outDepth() const
{
    return result.geometry.axes.size() == 3 ? result.geometry.axes[0].output : 0;
}

int VolumeSet::outRows() const
{
    return result.geometry.axes.size() == 3 ? result.geometry.axes[1].output : 0;
}

int VolumeSet::outCols() const
{
    return result.geometry.axes.size() == 3 ? result.geometry.axes[2].output : 0;
}

int VolumeSet::outputCells() const
{
    return ok() ? outDepth() * outRows() * outCols() : 0;
}

std::vector<int> VolumeSet::cellOfStep(int step) const
{
    const int n = outputCells();
    if (n == 0)
        return {};
    const int i = ((step % n) + n) % n;
    const int plane = outRows() * outCols();
    return {i / plane, (i % plane) / outCols(), i % outCols()};
}

int VolumeSet::stepOfCell(const std::vector<int> &cell) const
{
    if (cell.size() != 3)
        return 0;
    return (cell[0] * outRows() + cell[1]) * outCols() + cell[2];
}

core::TensorWindow VolumeSet::windowAt(const std::vector<int> &cell) const
{
    return core::tensorWindowAt(input, result, kernel, spec, 0, cell);
}

std::vector<VolumeSlicePart> VolumeSet::sliceSums(const core::TensorWindow &window) const
{
    std::map<std::pair<int, int>, VolumeSlicePart> parts;
    for (const auto &tap : window.taps) {
        auto &part = parts[{tap.channel, tap.padded[0]}];
        part.channel = tap.channel;
        part.slice = tap.padded[0];
        part.sum += tap.product;
        ++part.taps;
    }
    std::vector<VolumeSlicePart> out;
    for (auto &[key, part] : parts)
        out.push_back(part);
    return out;
}

QString VolumeSet::totalText(const core::TensorWindow &window) const
{
    QStringList terms;
    for (const auto &part : sliceSums(window)) {
        const QString name = channels() > 1 ? tr("c%1 slice %2").arg(part.channel).arg(part.slice)
                                            : tr("slice %1").arg(part.slice);
        terms << QStringLiteral("%1: %2").arg(name, number(part.sum));
    }
    return terms.join(QStringLiteral(" + ")) + QStringLiteral(" = ") + number(window.sum);
}

QStringList VolumeSet::formulas() const
{
    static const char *names[] = {"depth", "rows", "cols"};
    QStringList lines;
    for (std::size_t a = 0; a < result.geometry.axes.size() && a < 3; ++a)
        lines << QStringLiteral("%1: %2").arg(tr(names[a]),
                                              QString::fromStdString(core::outputFormula(result.geometry.axes[a])));
    return lines;
}

} // namespace padlab::ui
