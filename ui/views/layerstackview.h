#pragma once

#include "padlab/core/layers.h"

#include <QColor>
#include <QList>
#include <QRectF>
#include <QStringList>
#include <QString>
#include <QWidget>

#include <vector>

class QAbstractButton;
class QAction;
class QComboBox;
class QToolButton;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace padlab::ui {

class FeatureMapStrip;
class Session;

/// @brief @p layers in `padlab summary --layers` syntax, e.g. `conv2d:32:3,conv2d:64:3:1:same,flatten`
/// (trailing fields written only when they differ from their defaults; a per-axis value as `N` when
/// every axis has it). parseLayerSpecs() reads it back.
QString layerSpecText(const std::vector<core::LayerSpec> &layers);

/**
 * The layer-stack builder: the input shape (1-D LxC, 2-D HxWxC or 3-D DxHxWxC) and one editable
 * row per layer of any kind of the `padlab summary` grammar, and below them a diagram of the
 * feature maps (1-D bars, 2-D boxes scaled by height and width, 3-D stacks of slices)
 * and the summary as `padlab summary` prints it (each layer's output shape and parameter count, and
 * the total), large enough for a projector. The diagram gives way first when the height is short.
 *
 * It edits the session's layerInputShape() and layerSpec() through setLayerStack() and shows what
 * the session holds, whoever set it. Shapes and counts are the snapshot's layer summary, which
 * the session computes (core::summarize()) whenever the stack changes; a stack the engine
 * refuses shows the engine's message (naming the layer) in place of the table, and the rows stay
 * editable so that the stack can be mended. It is drawn in the session's look.
 */
class LayerStackView : public QWidget {
    Q_OBJECT

public:
    /// One row of the summary as shown: `conv2d_1 (Conv2D)`, `(None, 24, 24, 64)`, `18,496`.
    struct ShownRow {
        QString name;
        QString shape;
        QString params;
    };

    explicit LayerStackView(Session *session, QWidget *parent = nullptr);

    double fontScale() const { return m_fontScale; }
    bool isDark() const { return m_dark; }

    /// The layer a new row of @p word (`conv2d`, `maxpool1d`, `zeropad3d`, ...) starts as: conv 32
    /// filters 3 valid, pooling 2, zero padding 1, Dense 64. Throws core::Error for an unknown word.
    static core::LayerSpec defaultLayer(const QString &word);
    /// The words of every kind the builder offers for an input of @p rank spatial axes.
    static QStringList kindWords(int rank);
    /// Colour of the engine's message when it refuses the stack.
    static QColor errorColor(bool dark);

    // What the summary shows.
    QList<ShownRow> shownRows() const;
    QString totalText() const; ///< `Total params: 15,955,210`; empty while the stack is refused
    QString errorText() const; ///< the engine's message; empty while the stack is accepted
    /// The feature-map diagram: the input and every layer's output (`28×28×1`, ..., `61952`),
    /// and where their boxes are drawn in this widget's coordinates (none when there is no room).
    QStringList mapLabels() const;
    QList<QRectF> mapBoxes() const;
    int faultyRow() const { return m_faultyRow; } ///< the editor row the message names, or -1

    // The editors, for tests and the main window.
    QComboBox *rankEditor() const;          ///< 1-D (LxC), 2-D (HxWxC), 3-D (DxHxWxC); data 1 to 3
    QSpinBox *inputEditor(int axis) const;  ///< the shape's axes in order: (L, C), (H, W, C), (D, H, W, C)
    int layerCount() const;                 ///< rows in the editor
    QComboBox *kindEditor(int row) const;   ///< item data: the kind's word
    QSpinBox *countEditor(int row) const;   ///< filters or units (hidden for kinds without)
    QSpinBox *sizeEditor(int row) const;    ///< kernel or pool size, on every axis
    QSpinBox *strideEditor(int row) const;  ///< convolutions and pooling, on every axis
    QComboBox *paddingEditor(int row) const; ///< valid, same (and causal for Conv1D)
    QSpinBox *dilationEditor(int row) const; ///< Conv1D/2D/3D: dilation on every axis
    QSpinBox *multiplierEditor(int row) const; ///< DepthwiseConv2D: depth multiplier
    /// ZeroPadding: pad @p side, before and after per axis, outer axis first (2, 4 or 6 sides).
    QSpinBox *padEditor(int row, int side) const;
    /// The quick buttons: Conv, MaxPool of the input's rank, Flatten, Dense.
    QAbstractButton *addButton(core::Layer::Kind kind) const;
    QToolButton *addMenuButton() const;              ///< "+ Layer", every kind grouped
    QAction *addLayerAction(const QString &word) const; ///< its entry for @p word; null if not offered
    QAbstractButton *removeButton() const;
    QAbstractButton *moveUpButton() const;
    QAbstractButton *moveDownButton() const;
    /// The "All Conv2D layers: valid | same" switch; each is checked when every Conv2D has it.
    QAbstractButton *allValidButton() const;
    QAbstractButton *allSameButton() const;
    int selectedRow() const; ///< -1 when no row is selected
    void selectRow(int row); ///< -1 clears the selection

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct RowEditors {
        QComboBox *kind = nullptr;
        QSpinBox *count = nullptr;
        QSpinBox *size = nullptr;
        QSpinBox *stride = nullptr;
        QComboBox *padding = nullptr;
        QSpinBox *dilation = nullptr;
        QSpinBox *multiplier = nullptr;
        QSpinBox *pads[6] = {};
    };

    void syncFromSession();
    void lookChanged();
    void refreshSummary();
    void fitSummary();
    void markFaultyRow(int row);
    void rebuildRows();
    void showRow(int row);
    void updateControls();
    void applyFonts();
    void commit();
    void insertLayer(const QString &word);
    void setRank(int rank);
    void showRank();
    static QString sizeSuffix(const core::LayerSpec &l);
    void rebuildAddMenu();
    void removeSelected();
    void moveSelected(int by);
    void setAllSame(bool same);
    QString inputShapeText() const;

    Session *m_session;
    std::vector<core::LayerSpec> m_layers;
    int m_rank = 2;
    std::vector<RowEditors> m_rows;
    double m_fontScale = 1.0;
    bool m_dark = false;
    int m_faultyRow = -1;

    QComboBox *m_rankBox = nullptr;
    QLabel *m_axisLabel[4] = {};
    QSpinBox *m_input[4] = {};
    QToolButton *m_addMenu = nullptr;
    QPushButton *m_allValid = nullptr;
    QPushButton *m_allSame = nullptr;
    QTableWidget *m_editor = nullptr;
    QPushButton *m_add[4] = {};
    QPushButton *m_remove = nullptr;
    QPushButton *m_moveUp = nullptr;
    QPushButton *m_moveDown = nullptr;
    QTableWidget *m_summary = nullptr;
    QLabel *m_total = nullptr;
    QLabel *m_error = nullptr;
    FeatureMapStrip *m_maps = nullptr;
};

} // namespace padlab::ui
