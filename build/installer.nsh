; Windows: offer Checkbox Detector in "Open with" for scans, without becoming their default app.
; electron-builder's fileAssociations would write each extension's default ProgID; this only adds the
; app's ProgID to the extension's OpenWithProgids and lists the types the app supports.
!macro cbdOpenWith EXT
  WriteRegNone SHELL_CONTEXT "Software\Classes\.${EXT}\OpenWithProgids" "CheckboxDetector.Scan"
  WriteRegStr SHELL_CONTEXT "Software\Classes\Applications\${APP_EXECUTABLE_FILENAME}\SupportedTypes" ".${EXT}" ""
!macroend

!macro customInstall
  WriteRegStr SHELL_CONTEXT "Software\Classes\CheckboxDetector.Scan" "" "Scan for Checkbox Detector"
  WriteRegStr SHELL_CONTEXT "Software\Classes\CheckboxDetector.Scan\DefaultIcon" "" "$appExe,0"
  WriteRegStr SHELL_CONTEXT "Software\Classes\CheckboxDetector.Scan\shell\open\command" "" '"$appExe" "%1"'
  WriteRegStr SHELL_CONTEXT "Software\Classes\Applications\${APP_EXECUTABLE_FILENAME}\shell\open\command" "" '"$appExe" "%1"'
  !insertmacro cbdOpenWith png
  !insertmacro cbdOpenWith jpg
  !insertmacro cbdOpenWith jpeg
  !insertmacro cbdOpenWith tif
  !insertmacro cbdOpenWith tiff
  !insertmacro cbdOpenWith webp
  !insertmacro cbdOpenWith bmp
  !insertmacro cbdOpenWith pdf
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend

!macro cbdForget EXT
  DeleteRegValue SHELL_CONTEXT "Software\Classes\.${EXT}\OpenWithProgids" "CheckboxDetector.Scan"
!macroend

!macro customUnInstall
  !insertmacro cbdForget png
  !insertmacro cbdForget jpg
  !insertmacro cbdForget jpeg
  !insertmacro cbdForget tif
  !insertmacro cbdForget tiff
  !insertmacro cbdForget webp
  !insertmacro cbdForget bmp
  !insertmacro cbdForget pdf
  DeleteRegKey SHELL_CONTEXT "Software\Classes\CheckboxDetector.Scan"
  DeleteRegKey SHELL_CONTEXT "Software\Classes\Applications\${APP_EXECUTABLE_FILENAME}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend
